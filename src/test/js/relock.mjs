// After `npm install --package-lock-only` (npm run relock): drops the packages' funding links from
// package-lock.json, so that no file of the repository names a web address. npm ci does not read them.
// Download addresses are never written: .npmrc has omit-lockfile-registry-resolved.
import { readFileSync, writeFileSync } from 'node:fs'

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
for (const entry of Object.values(lock.packages ?? {})) delete entry.funding
const text = JSON.stringify(lock, null, 2) + '\n'
if (/:\/\//.test(text)) throw new Error('package-lock.json still names a web address')
writeFileSync('package-lock.json', text)
