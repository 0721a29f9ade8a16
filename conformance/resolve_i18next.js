// Resolve every key of an i18next source file in a target file with i18next itself.
//
// Reads jobs as JSON on stdin: [{"source": "en.json", "target": "ru.json", "lng": "ru"}, ...];
// writes one result per job as JSON on stdout: the lookups made and the ones that failed, with
// why. Plural groups (key_one, key_other...) are looked up with counts 0, 1, 2, 5 and 21 (i18next
// picks the form with Intl.PluralRules); every {{name}} of the source text is given a value. No
// fallback language: a key the target lacks fails, as does an interpolation it cannot fill.
"use strict";
const fs = require("fs");
const i18next = require("i18next");

const CATEGORIES = ["zero", "one", "two", "few", "many", "other"];
const COUNTS = [0, 1, 2, 5, 21];
const SUFFIX = /^(.+?)_(ordinal_)?(zero|one|two|few|many|other)$/;

function leaves(node, path, out) {
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      leaves(value, [...path, key], out);
    } else {
      out.push([[...path, key], value]);
    }
  }
  return out;
}

function names(text) {
  const found = new Set();
  for (const m of String(text).matchAll(/\{\{-?\s*([^{},]+?)\s*(?:,[^{}]*)?\}\}/g)) {
    found.add(m[1]);
  }
  return found;
}

async function resolve(job) {
  const source = JSON.parse(fs.readFileSync(job.source, "utf8"));
  const target = JSON.parse(fs.readFileSync(job.target, "utf8"));
  const failures = [];
  const missing = [];
  const t = i18next.createInstance();
  await t.init({
    lng: job.lng,
    fallbackLng: false,
    resources: { [job.lng]: { translation: target } },
    initAsync: false,
    initImmediate: false,
    interpolation: { escapeValue: false },
    missingInterpolationHandler: (text, match) => { missing.push(match[0]); return ""; },
  });
  let lookups = 0;
  const done = new Set();
  for (const [path, value] of leaves(source, [], [])) {
    if (typeof value !== "string" || value === "") continue;
    const last = path[path.length - 1];
    const match = SUFFIX.exec(last);
    const siblings = path.length > 1 ? path.slice(0, -1) : [];
    let base = null;
    if (match && !match[2]) {
      const group = `${match[1]}_other`;
      const parent = siblings.reduce((node, seg) => node[seg], source);
      if (group in parent) base = [...siblings, match[1]].join(".");
    }
    const key = base ?? path.join(".");
    if (done.has(key)) continue;
    done.add(key);
    const values = {};
    for (const name of names(value)) values[name] = "X";
    if (base !== null) {
      const parent = siblings.reduce((node, seg) => node[seg], source);
      for (const cat of CATEGORIES) {
        const text = parent[`${match[1]}_${cat}`];
        if (typeof text === "string") for (const name of names(text)) values[name] = "X";
      }
    }
    for (const count of base !== null ? COUNTS : [undefined]) {
      lookups += 1;
      missing.length = 0;
      const options = count === undefined ? { ...values } : { ...values, count };
      const exists = t.exists(key, options);
      const text = t.t(key, options);
      const where = count === undefined ? key : `${key} (count ${count})`;
      if (!exists || typeof text !== "string" || text === "") {
        failures.push(`${where}: missing`);
      } else if (missing.length) {
        failures.push(`${where}: no value for ${missing.join(", ")}`);
      }
    }
  }
  for (const [path, value] of leaves(source, [], [])) {
    if (typeof value === "string") continue;
    const found = path.reduce((node, seg) => (node == null ? undefined : node[seg]), target);
    lookups += 1;
    if (JSON.stringify(found) !== JSON.stringify(value)) {
      failures.push(`${path.join(".")}: ${JSON.stringify(found)} where the source has ${JSON.stringify(value)}`);
    }
  }
  return { target: job.target, lookups, failures };
}

(async () => {
  const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
  const results = [];
  for (const job of jobs) results.push(await resolve(job));
  process.stdout.write(JSON.stringify(results));
})();
