#!/usr/bin/env python3
# Usage: python3 build/write-core-api.py (from the repository root, after a Release build).
# Rewrites docs/core-api.md: every public non-nested type of BuildImages.Core by namespace, with its XML summary.
# PublicSurfaceTests fails when the page and the assembly disagree; run this after making a type public or internal.
import xml.etree.ElementTree as ET,re,glob,collections
x=ET.parse('src/BuildImages.Core/bin/Release/net10.0/BuildImages.Core.xml')
def inner(e):
    # <see cref="T:A.B.C"/> and <paramref name="x"/> carry no text: name what they point at.
    parts=[e.text or '']
    for c in e:
        if c.tag in ('see','seealso') and c.get('cref'):
            parts.append(c.text or c.get('cref').split(':')[-1].split('(')[0].split('.')[-1])
        elif c.tag in ('paramref','typeparamref'):
            parts.append(c.get('name') or '')
        else:
            parts.append(inner(c))
        parts.append(c.tail or '')
    return ''.join(parts)
docs={}
for m in x.getroot().iter('member'):
    n=m.get('name')
    if n.startswith('T:'):
        s=m.find('summary')
        text=' '.join(inner(s).split()) if s is not None else ''
        docs[n[2:]]=text
decl=re.compile(r'^public ((?:sealed |static |abstract |readonly |partial )*)(class|record struct|record|struct|enum|interface) ([A-Za-z0-9_]+)',re.M)
ns_re=re.compile(r'^namespace ([A-Za-z0-9_.]+);',re.M)
by=collections.defaultdict(list)
for p in sorted(glob.glob('src/BuildImages.Core/**/*.cs',recursive=True)):
    if '/obj/' in p or '/bin/' in p: continue
    s=open(p).read()
    ns=ns_re.search(s)
    for m in decl.finditer(s):
        full=ns.group(1)+'.'+m.group(3)
        by[ns.group(1)].append((m.group(3),docs.get(full,'(no summary)')))
out=["# The Core API","",
"`BuildImages.Core` is the engine the three fronts (the tool, the MSBuild task, the hook server) call. These are its",
"public types, by folder; everything else is internal. `PublicSurfaceTests` keeps this list equal to the assembly's",
"public types and checks each has a doc comment. The entry points: `ConfigLoader.Load` → `BatchBuilder.Run` →",
"`BuildReport` (with `IBuildObserver` for events as they happen); `CardEngine` for one card; `HookQueue` for the",
"hook server; `PhotoProcessor` for photos.",""]
bar='\\|'
for ns in sorted(by):
    out += ["## "+ns, "", "| Type | What it is |", "| --- | --- |"]
    for name,doc in sorted(by[ns]):
        out.append("| `"+name+"` | "+doc.replace('|',bar)+" |")
    out.append("")
open('docs/core-api.md','w').write('\n'.join(out))
print(sum(len(v) for v in by.values()), sum(1 for v in by.values() for n,d in v if d=='(no summary)'))
