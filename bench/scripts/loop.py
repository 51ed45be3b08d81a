# ferry bench: a python3 loop -- dicts, lists, string formatting, integer
# arithmetic and a little float, standard library built-ins only.
# Usage: python3 loop.py N
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
seen, acc, parts, total = {}, 0, [], 0.0
for i in range(1, n + 1):
    key = "k%05d" % ((i * 7919) % 50021)
    seen[key] = seen.get(key, 0) + 1
    acc = (acc * 31 + len(key) + seen[key]) % 1000000007
    total += i / 3.0
    if i % 16 == 0:
        parts.append(key)
words = sorted(set(parts), key=lambda w: (w[::-1], w))
top = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print("acc", acc)
print("keys", len(seen))
print("total %.6e" % total)
print("words", len(words), words[:3])
print("top", top)
