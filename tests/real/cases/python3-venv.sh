# reference: native
# packages: python3.11 python3.11-venv
python3 -m venv --without-pip venv; echo "venv $?"
ls venv; ls venv/bin | sort; sed -n 's/^\(include-system-site-packages\|version\) = /\1: /p' venv/pyvenv.cfg
# The venv's python is a link to the arm64 python3: exec it from an arm64 shell.
bash -c 'venv/bin/python3 -c "import sys, os; print(sys.prefix == os.path.abspath(\"venv\"), sys.prefix != sys.base_prefix)"'
