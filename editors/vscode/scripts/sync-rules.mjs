// Keeps the `outreach.rules` setting in package.json in step with the server's rules.
//   node scripts/sync-rules.mjs [--check] [OUTREACH_LSP_BINARY]
// Reads `outreach-lsp rules --format json` ([{id, severity, summary}]) and writes one property per rule id
// (enum off|hint|info|warning|error, the summary and default severity as description). With --check it
// only reports whether package.json is up to date (exit 1 when not).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const binary = args.find((a) => !a.startsWith('--')) ?? 'outreach-lsp';
const pkgPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');

const rules = JSON.parse(execFileSync(binary, ['rules', '--format', 'json'], { encoding: 'utf8' }));
const severities = ['off', 'hint', 'info', 'warning', 'error'];
const properties = Object.fromEntries(
  rules.map((r) => [
    r.id,
    {
      type: 'string',
      enum: severities,
      markdownDescription: `${r.summary} (default: \`${r.severity}\`)`,
    },
  ]),
);

const text = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(text);
const setting = pkg.contributes.configuration.properties['outreach.rules'];
const current = Object.keys(setting.properties ?? {});
const wanted = Object.keys(properties);
if (checkOnly) {
  const missing = wanted.filter((id) => !current.includes(id));
  const extra = current.filter((id) => !wanted.includes(id));
  if (missing.length || extra.length) {
    console.error(`outreach.rules is out of date: missing ${JSON.stringify(missing)}, unknown ${JSON.stringify(extra)}`);
    console.error('run: node editors/vscode/scripts/sync-rules.mjs path/to/outreach-lsp');
    process.exit(1);
  }
  console.log(`outreach.rules lists all ${wanted.length} rules`);
} else {
  setting.properties = properties;
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`wrote ${wanted.length} rules to ${pkgPath}`);
}
