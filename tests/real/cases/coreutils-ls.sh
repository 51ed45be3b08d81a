# reference: native
# packages: coreutils
ls -l fixture
ls -lR --time-style=+%Y-%m-%dT%H:%M:%S fixture/sub
ls -1a fixture; ls -d fixture/*.txt
