// Differential test data for version_semver_slow.sh: generated npm versions and ranges (fixed
// seed), judged by Debian's node-semver, checked against `fathom version compare npm --batch`
// and `fathom version satisfies npm`. Prints one summary line per part and exits 1 on any
// difference.
'use strict';
const semver = require('semver');
const { spawnSync } = require('child_process');

const fathom = process.argv[2];
const NCMP = 12000;
const NSAT = 10000;

// mulberry32: a small seeded generator, so every run sees the same cases
let seed = 20240611;
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];

const NUMS = ['0', '1', '2', '3', '10', '11', '0', '1', '2', '01', '9007199254740991',
  '9007199254740992'];
const PRE = ['alpha', 'beta', 'rc', '0', '1', '2', '10', '01', 'a-b', '-', 'alpha.1', 'beta.2',
  'rc.1', '1.alpha', 'x', 'pre.10', 'pre.9'];
const BUILD = ['build', '001', 'x.y', 'sha.5114f85'];
const PREFIX = ['', '', '', '', 'v', '=', ' ', 'v ', '  v'];

function version(loose) {
  let s = pick(loose ? PREFIX : ['', '', '', 'v']);
  s += [pick(NUMS), pick(NUMS), pick(NUMS)].join('.');
  if (rnd() < 0.4) s += (loose && rnd() < 0.3 ? '' : '-') + pick(PRE);
  if (rnd() < 0.15) s += '+' + pick(BUILD);
  if (rnd() < 0.03) s += pick(['.', '-', '+', ' x', '..1']);
  return s;
}

// A range piece that node-semver 7.3.5 (Debian) and 7.7 read alike.
function partial(incpr, full) {
  const SM = ['0', '1', '2', '3', '10'];
  const parts = full ? 3 : 1 + Math.floor(rnd() * 3);
  const v = [];
  let x = false;
  for (let i = 0; i < parts; i++) {
    if (i > 0 && (x || rnd() < 0.2)) {
      v.push(pick(['x', 'X', '*']));
      x = true;
    } else {
      v.push(pick(SM));
    }
  }
  let s = v.join('.');
  if (parts === 3 && !x && rnd() < 0.25) s += '-' + pick(['alpha', 'beta.1', '0', 'rc.2']);
  if (parts === 3 && !x && !incpr && rnd() < 0.05) s += '+b';
  return s;
}

function piece(incpr) {
  const r = rnd();
  if (r < 0.1) return partial(incpr) + ' - ' + partial(incpr);
  if (r < 0.13) return pick(['*', 'x', '']);
  // tilde and caret under includePrerelease changed after 7.3.5: left out there
  const ops = incpr ? ['', '=', '<', '<=', '>', '>='] :
    ['', '=', '<', '<=', '>', '>=', '~', '^', '~>'];
  const op = pick(ops);
  return op + (op && rnd() < 0.15 ? ' ' : '') + partial(incpr);
}

function range(incpr) {
  const sets = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const m = 1 + Math.floor(rnd() * 2);
    const comps = [];
    for (let j = 0; j < m; j++) comps.push(piece(incpr));
    sets.push(comps.join(' '));
  }
  return sets.join(' || ');
}

let bad = 0;

// ---- compare: one batch per flag set ----
for (const loose of [false, true]) {
  const pairs = [];
  for (let i = 0; i < NCMP / 2; i++) pairs.push([version(loose), version(loose)]);
  const want = pairs.map(([a, b]) => {
    try {
      const c = semver.compare(a, b, { loose });
      return c < 0 ? '<' : c > 0 ? '>' : '=';
    } catch (e) {
      return 'invalid';
    }
  });
  const args = ['version', 'compare'].concat(loose ? ['--loose'] : [], ['npm', '--batch']);
  const r = spawnSync(fathom, args, {
    input: pairs.map(([a, b]) => a + '\t' + b).join('\n') + '\n',
    maxBuffer: 1 << 26,
  });
  const got = r.stdout.toString().split('\n');
  let diff = 0;
  for (let i = 0; i < pairs.length; i++) {
    if ((got[i] || '').trim() !== want[i]) {
      if (diff++ < 10)
        console.log(`compare loose=${loose} '${pairs[i][0]}' '${pairs[i][1]}': ` +
                    `node-semver ${want[i]}, fathom ${got[i]}`);
    }
  }
  console.log(`compare loose=${loose}: ${pairs.length - diff}/${pairs.length} agree`);
  bad += diff;
}

// ---- satisfies: one call each ----
let agree = 0;
let total = 0;
for (let i = 0; i < NSAT; i++) {
  const loose = rnd() < 0.25;
  const incpr = rnd() < 0.2;
  const opts = { loose, includePrerelease: incpr };
  const v = rnd() < 0.9 ? version(false).trim() : version(loose);
  const rg = range(incpr);
  let want;
  try {
    new semver.Range(rg, opts);
    if (semver.valid(v, opts) === null) want = 'invalid';
    else want = semver.satisfies(v, rg, opts) ? 'true' : 'false';
  } catch (e) {
    want = 'invalid';
  }
  const args = ['version', 'satisfies'].concat(loose ? ['--loose'] : [],
    incpr ? ['--include-prerelease'] : [], ['npm', '--', v, rg]);
  const r = spawnSync(fathom, args);
  const got = r.status === 2 ? 'invalid' : r.stdout.toString().trim();
  total++;
  if (got === want) {
    agree++;
  } else if (total - agree <= 10) {
    console.log(`satisfies loose=${loose} incpr=${incpr} '${v}' '${rg}': node-semver ${want}, ` +
                `fathom ${got} ${r.stderr.toString().trim()}`);
  }
}
console.log(`satisfies: ${agree}/${total} agree`);
bad += total - agree;
console.log(bad ? `${bad} differences` : 'no differences');
process.exit(bad ? 1 : 0);
