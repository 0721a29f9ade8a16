"""What the Qwen-MT service offers, written down once: models (with prices), regions, protocols,
limits and the defaults.

``config`` checks settings against these tables, ``cli`` offers them as choices, the client
(``qwen``) builds its URLs and bounds from them, and the dry run prices a run with them. Sources:
Alibaba's Qwen-MT API reference and price list (see ../shared/qwen-mt-protocol.md).

>>> base_url_for("us", API_OPENAI)
'https://dashscope-us.aliyuncs.com/compatible-mode/v1'
"""

from __future__ import annotations

from l10n_qwen.errors import ConfigError

API_OPENAI = "openai"  # the OpenAI-compatible protocol
API_DASHSCOPE = "dashscope"  # DashScope's native protocol

#: USD per million tokens (input, output), Singapore; every model the service has, in this order.
PRICES: dict[str, tuple[float, float]] = {
    "qwen-mt-plus": (2.46, 7.37),
    "qwen-mt-flash": (0.16, 0.49),
    "qwen-mt-lite": (0.12, 0.36),
    "qwen-mt-turbo": (0.16, 0.49),
}
MODELS = tuple(PRICES)
LITE_MODEL = "qwen-mt-lite"  # no `domains`, 31 languages

#: Each region's host; keys are per region.
_HOSTS = {
    "singapore": "https://dashscope-intl.aliyuncs.com",
    "us": "https://dashscope-us.aliyuncs.com",
    "beijing": "https://dashscope.aliyuncs.com",
}
REGIONS = tuple(_HOSTS)
_BASE_PATHS = {API_OPENAI: "/compatible-mode/v1", API_DASHSCOPE: "/api/v1"}
APIS = tuple(_BASE_PATHS)
_ENDPOINTS = {
    API_OPENAI: "/chat/completions",
    API_DASHSCOPE: "/services/aigc/text-generation/generation",
}

DEFAULT_MODEL = "qwen-mt-flash"
DEFAULT_REGION = "singapore"
DEFAULT_API = API_OPENAI

MAX_INPUT_TOKENS = 8192  # text + terms + tm_list + domains
MAX_OUTPUT_TOKENS = 8192
PROMPT_OVERHEAD_TOKENS = 48  # the service's own prompt around the text (53 tokens for ~9 of text)


def base_url_for(region: str, api: str) -> str:
    """The documented base URL of a region for a protocol."""
    if region not in _HOSTS:
        raise ConfigError(f"unknown region {region!r}: choose one of {', '.join(REGIONS)}")
    if api not in _BASE_PATHS:
        raise ConfigError(f"unknown API {api!r}: choose one of {', '.join(APIS)}")
    return _HOSTS[region] + _BASE_PATHS[api]


def endpoint_url(base_url: str, api: str) -> str:
    """The URL to POST to: ``{base}/chat/completions`` or ``{base}/services/aigc/...``."""
    if api not in _ENDPOINTS:
        raise ConfigError(f"unknown API {api!r}: choose one of {', '.join(APIS)}")
    return base_url.rstrip("/") + _ENDPOINTS[api]
