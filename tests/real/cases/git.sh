# reference: native
# packages: git
export GIT_AUTHOR_NAME=Ferry GIT_AUTHOR_EMAIL=ferry@example.org GIT_COMMITTER_NAME=Ferry GIT_COMMITTER_EMAIL=ferry@example.org
export GIT_AUTHOR_DATE='2001-02-03T04:05:06Z' GIT_COMMITTER_DATE='2001-02-03T04:05:06Z' GIT_CONFIG_NOSYSTEM=1
git init -q -b main repo && cd repo
cp -r ../fixture/sub ../fixture/a.txt . && git add . && git commit -q -m first && echo committed
echo more >> a.txt && git commit -q -am second
git log --format='%H %an %ad %s' --date=iso-strict
git rev-parse HEAD^{tree}; git ls-files -s | head -n 5; git diff HEAD~1 --stat
git cat-file -p HEAD; git show --format=%s HEAD | tail -n 3
git gc -q && git count-objects -v | grep -E '^(count|in-pack|packs)'; git fsck --no-progress 2>&1 && echo fsck-ok
git log --oneline | wc -l
