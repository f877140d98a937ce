#!/usr/bin/env python3
"""Resolves merge conflicts where both sides add lines (registration lists, README sections):
keeps ours then theirs. For tsconfig.json files, unions the project references instead."""
import json, re, subprocess, sys

def keep_both(text):
    pattern = re.compile(r'<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n', re.S)
    return pattern.sub(lambda m: m.group(1) + m.group(2), text)

def union_tsconfig(path):
    ours = json.loads(subprocess.check_output(['git', 'show', f':2:{path}']))
    theirs = json.loads(subprocess.check_output(['git', 'show', f':3:{path}']))
    refs = []
    for ref in ours.get('references', []) + theirs.get('references', []):
        if ref not in refs:
            refs.append(ref)
    ours['references'] = refs
    return json.dumps(ours, indent=2) + '\n'

for path in sys.argv[1:]:
    if path.endswith('tsconfig.json') or path.endswith('tsconfig.build.json'):
        text = union_tsconfig(path)
    else:
        text = keep_both(open(path).read())
    open(path, 'w').write(text)
    print('resolved', path)
