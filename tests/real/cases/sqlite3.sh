# reference: native
# packages: sqlite3 libsqlite3-0
sqlite3 db.sqlite <<'SQL'
create table t(id integer primary key, name text, score real);
insert into t(name, score) values ('ann', 91.5), ('bob', 72.25), ('cy', 88), ('dee', 72.25);
select * from t order by score desc, name;
select count(*), sum(score), avg(score), min(name), max(score), group_concat(name, '+') from t;
select score, count(*) from t group by score having count(*) > 1;
create index ts on t(score); pragma integrity_check;
with recursive c(x) as (select 1 union all select x + 1 from c where x < 10) select sum(x * x), total(x) / 3 from c;
select printf('%.3f|%5d|%s', 3.14159, 42, upper('x')), hex(zeroblob(2) || 'ab'), length(randomblob(5)), abs(-7), round(2.5), 7 / 2, 7 / 2.0;
pragma journal_mode=wal; insert into t(name, score) values ('eve', 1e10); select name from t where score > 1000;
SQL
sqlite3 db.sqlite 'select count(*) from t'; sqlite3 -csv db.sqlite 'select * from t where id < 3'
