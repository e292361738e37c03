#!/usr/bin/env bash
# Run the tests on every Python from 3.10 to 3.13 that can be found, each in a
# fresh virtual environment in a temporary folder (never in the repository).
#
#   scripts/test_all_pythons.sh              3.10, 3.11, 3.12 and 3.13
#   scripts/test_all_pythons.sh 3.10 3.13    only these
#
# A version is looked for as pythonX.Y on PATH, then under pyenv
# ($PYENV_ROOT, else ~/.pyenv), newest patch release first; one that is
# missing is reported and skipped.
# Prints a line per version; exits 1 if any suite failed, 0 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 3.10 3.11 3.12 3.13

find_python() {  # the first candidate that runs and is the version asked for
  local candidate
  for candidate in $(command -v "python$1") \
      $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$1".*/bin/python 2>/dev/null | sort -rV); do
    if "$candidate" -c "import sys; sys.exit(f'{sys.version_info[0]}.{sys.version_info[1]}' != '$1')" \
        >/dev/null 2>&1; then  # a pyenv shim without that version fails here
      echo "$candidate"
      return
    fi
  done
  return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/psoas-pythons.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
for version in "$@"; do
  python=$(find_python "$version") || { echo "Python $version: not found, skipped"; continue; }
  venv="$work/$version" log="$work/$version.log"
  if "$python" -m venv "$venv" >"$log" 2>&1 &&
     "$venv/bin/pip" install -q -e '.[test]' >>"$log" 2>&1 &&
     "$venv/bin/python" -m pytest -q -p no:cacheprovider >>"$log" 2>&1; then
    echo "Python $version ($python): $(tail -n 1 "$log")"
  else
    failed=1
    echo "Python $version ($python): FAILED"
    tail -n 30 "$log" | sed 's/^/    /'
  fi
done
exit $failed
