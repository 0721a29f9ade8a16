"""``l10n-qwen review``: a local web page to review machine translations in place.

``queue`` finds what awaits review, ``render`` draws the page (``templates/``, ``static/``),
``actions`` saves through the format adapters and ``checks.approve``, ``app`` is the Starlette
application with its token gate, ``server`` runs it on 127.0.0.1. Starlette and uvicorn come
with the ``review`` extra (``pip install 'l10n-qwen[review]'``); nothing else needs them, and
importing ``server`` without them is a UsageError saying how to install them.
"""
