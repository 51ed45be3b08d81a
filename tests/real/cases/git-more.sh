# reference: native
# packages: git
export GIT_AUTHOR_NAME=Ferry GIT_AUTHOR_EMAIL=ferry@example.org GIT_COMMITTER_NAME=Ferry GIT_COMMITTER_EMAIL=ferry@example.org
export GIT_AUTHOR_DATE='2001-02-03T04:05:06Z' GIT_COMMITTER_DATE='2001-02-03T04:05:06Z' GIT_CONFIG_NOSYSTEM=1
git init -q -b main src && cd src
for i in 1 2 3 4 5; do seq $i 40 > f$i; git add f$i; git commit -q -m "commit $i"; done
git checkout -q -b topic && sed -i 's/^7$/seven/' f1 && git commit -q -am topic && git checkout -q main
git merge -q --no-edit topic && git log --graph --oneline --all | head -n 8
git diff HEAD~3 --word-diff | tail -n 5; git log -p -1 --format=%s | head -n 12
git repack -q -a -d --threads=2 && git verify-pack -v .git/objects/pack/*.idx | tail -n 2
git archive --format=tar HEAD | tar -t | sort | tr '\n' ' '; echo
cd .. && git clone -q src dst && git -C dst log --format=%s | head -n 3 && git -C dst status --short | wc -l
git -C dst blame -s f1 | sed -n '6,8p'; git -C dst grep -n seven
