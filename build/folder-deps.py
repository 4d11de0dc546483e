#!/usr/bin/env python3
# Usage: python3 build/folder-deps.py (from the repository root).
# Folder dependency graph of src/BuildImages.Core: a folder depends on another when one of its files names a type
# declared there (word match on declared type names, comments and strings stripped). Prints two-way pairs.
import re,glob,os,collections,itertools
root='src/BuildImages.Core'
decl=re.compile(r'\b(?:class|record struct|record|struct|enum|interface)\s+([A-Z][A-Za-z0-9_]*)')
def strip(s):
    s=re.sub(r'//.*','',s); s=re.sub(r'/\*.*?\*/','',s,flags=re.S); s=re.sub(r'"(?:\\.|[^"\\])*"','""',s); return s
owner={}; text={}
for p in glob.glob(root+'/**/*.cs',recursive=True):
    if '/obj/' in p or '/bin/' in p: continue
    folder=os.path.relpath(p,root).split(os.sep)[0]
    if folder.endswith('.cs'): folder='(root)'
    s=strip(open(p).read()); text[p]=(folder,s)
    for m in decl.finditer(s): owner.setdefault(m.group(1),set()).add(folder)
deps=collections.defaultdict(lambda: collections.defaultdict(set))
words=re.compile(r'(?<![.\w])[A-Z][A-Za-z0-9_]*\b')
folders={f for f,_ in text.values()}
qualified=re.compile(r'\b('+'|'.join(sorted(folders))+r')\.([A-Z][A-Za-z0-9_]*)')
for p,(folder,s) in text.items():
    for q,w in set(qualified.findall(s)):
        if q!=folder and q in owner.get(w,set()): deps[folder][q].add(w)
    s=re.sub(r'^using .*$','',s,flags=re.M)
    for w in set(words.findall(s)):
        fs=owner.get(w,set())
        if len(fs)==1 and folder not in fs: deps[folder][next(iter(fs))].add(w)
pairs=[(a,b) for a in deps for b in deps[a] if a<b and a in deps.get(b,{})]
for a,b in sorted(pairs):
    print(f"{a} -> {b}: {sorted(deps[a][b])[:6]}  |  {b} -> {a}: {sorted(deps[b][a])[:6]}")
print(len(pairs),"two-way pairs among",len(deps),"folders")
# Any longer cycle: strongly connected components of more than one folder.
index={}; low={}; stack=[]; on=set(); sccs=[]; counter=[0]
import sys
sys.setrecursionlimit(10000)
def visit(v):
    index[v]=low[v]=counter[0]; counter[0]+=1; stack.append(v); on.add(v)
    for w in deps.get(v,{}):
        if w not in index: visit(w); low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        comp=[]
        while True:
            w=stack.pop(); on.discard(w); comp.append(w)
            if w==v: break
        if len(comp)>1: sccs.append(sorted(comp))
for v in list(deps): 
    if v not in index: visit(v)
print("cycles (folders that reach each other):", sccs or "none")
if sccs:
    for comp in sccs:
        for a in comp:
            for b in comp:
                if b in deps.get(a,{}): print(f"  {a} -> {b}: {sorted(deps[a][b])[:5]}")
