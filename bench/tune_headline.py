import csv, glob, random, sys, json
sys.path.insert(0, '/work/main')
from indexer import headline as H
from indexer.text import clean
rows = list(csv.reader(open('/work/shared/corpora/ag_news/test.csv')))
ag = [(clean(r[1]), clean(r[2])) for r in rows]
bbc = []
for f in sorted(glob.glob('/work/shared/corpora/bbc_news/bbc/*/*.txt')):
    t = open(f, encoding='latin-1').read().split('\n')
    paras = [l.strip() for l in t if l.strip()]
    bbc.append((paras[0], paras[1]))
exp = json.load(open('/work/shared/corpora/seed/expected.json'))
lines = open('/work/shared/corpora/seed/000_88e106a9136c3539.txt').read().split('\n')
seed = [(s['headline'], lines[s['para_line']-1].strip()[len(s['headline']):].strip()) for s in exp['stories'] if not s['headline_line'] and s['id'] not in 'BFI']
random.seed(2)
dev = random.sample(ag[0::2], 700) + random.sample(bbc[0::2], 700)
test = random.sample(ag[1::2], 700) + random.sample(bbc[1::2], 700)
def acc(ps):
    return sum(H.split_headline(h + ' ' + l)[0] == len(h.split()) for h, l in ps) / len(ps)
def obj():
    return acc(dev) + 0.5*acc(seed)
best = obj(); print('start', best, acc(test), acc(seed))
grid = {"short": [0.4,0.8,1.2], "long": [0.05,0.15,0.3], "dateline": [2,3,5], "starter": [1.5,2,3,4], "digit": [0.25,0.5,1], "bigram": [2,3], "restate3": [2,3,5], "title": [0,0.25,0.5,1,2], "source": [1,2.5,4], "fullstop": [1,2,3,4], "quote": [0,0.5,1], "sentence": [1,2,3,5]}
for rnd in range(3):
    for k, vals in grid.items():
        for v in vals:
            old = H.W[k]; H.W[k] = v
            o = obj()
            if o > best + 1e-9: best = o; print(k, v, round(o,4)); 
            else: H.W[k] = old
    for hi in [7, 8, 9, 10, 12]:
        for lo in [3,4,5]:
            old = H.IDEAL_HEADLINE_WORDS; H.IDEAL_HEADLINE_WORDS = (lo, hi)
            o = obj()
            if o > best + 1e-9: best = o; print('ideal', lo, hi, round(o,4))
            else: H.IDEAL_HEADLINE_WORDS = old
print(H.W, H.IDEAL_HEADLINE_WORDS)
print('dev', acc(dev), 'test', acc(test), 'seed', acc(seed))
