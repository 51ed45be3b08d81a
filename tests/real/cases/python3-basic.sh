# reference: native
# packages: python3.11 libpython3.11-stdlib
python3 -c 'print("hello", 6 * 7, 2 ** 100, 1 / 3, round(2.675, 2))'
python3 - <<'PY'
import json, hashlib, re, math, struct, sqlite3, collections, itertools, decimal, fractions, zlib, base64
data = {"b": [1, 2.5, None, True], "a": "é\u20ac", "c": {"x": 1e-300}}
s = json.dumps(data, sort_keys=True); print(s); print(json.loads(s) == data)
print(hashlib.sha256(b"ferry").hexdigest(), hashlib.md5(b"ferry").hexdigest(), hashlib.sha512(b"x").hexdigest()[:16])
print(hashlib.blake2b(b"ferry", digest_size=16).hexdigest(), hashlib.sha3_256(b"").hexdigest()[:16])
print(re.findall(r"(\w)(\d+)", "a1 b22 c333"), re.sub(r"(?i)FERRY", "boat", "Ferry ferry"))
print(math.pi, math.e, math.sqrt(2), math.factorial(30), math.gamma(0.5), math.fsum([0.1] * 10), math.log10(7))
print(struct.pack("<IhQd", 1, -2, 3, 1.5).hex(), struct.unpack(">f", b"\x40\x49\x0f\xdb"))
db = sqlite3.connect(":memory:"); db.execute("create table t(k text, v real)")
db.executemany("insert into t values (?, ?)", [("a", 1.5), ("b", 2.25), ("a", 3)])
print(db.execute("select k, sum(v), count(*) from t group by k order by k").fetchall(), sqlite3.sqlite_version)
print(collections.Counter("mississippi").most_common(3), list(itertools.permutations("abc", 2))[:4])
print(decimal.Decimal(1) / decimal.Decimal(7), fractions.Fraction(3, 12) + fractions.Fraction(1, 6))
print(len(zlib.compress(b"a" * 10000)), base64.b64encode(b"\x00\xff ferry").decode())
print(sorted({3: "c", 1: "a", 2: "b"}.items()), "%.17g" % 0.1, float("inf"), 1e308 * 10, -0.0)
print(int("123456789" * 5) ** 3 % 1000000007, divmod(-17, 5), (255).to_bytes(2, "big"))
PY
echo "status $?"
