#!/usr/bin/env bash
# Anjian developer entry point.
#   ./dev.sh demo   set everything up, load the demo province, serve on http://127.0.0.1:8000
#   ./dev.sh test   set everything up and run the whole test suite (DATABASE_URL picks the database)
#   ./dev.sh setup  only set up (.venv, Python and front-end packages, Chromium for browser tests)
# Rerunning any of them is safe.
set -euo pipefail
cd "$(dirname "$0")"

UV_VERSION=0.13.9

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"; return
    fi
  done
  echo "Python 3.11 or newer is required (需要 Python 3.11 及以上版本)" >&2; exit 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

setup_python() {
  if [ ! -x .venv/bin/python ]; then "$(pick_python)" -m venv .venv; fi
  if ! .venv/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
    .venv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
  fi
  .venv/bin/uv pip sync -q --python .venv/bin/python requirements.lock
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
}

setup_frontend() {
  if [ ! -f node_modules/htmx.org/dist/htmx.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  mkdir -p anjian/core/static/vendor
  cp node_modules/htmx.org/dist/htmx.min.js anjian/core/static/vendor/htmx.min.js
}

setup_system_packages() {
  # Debian's Chromium (for the Playwright browser tests), CJK fonts (for screenshots and PDFs) and
  # poppler-utils (PDF pages to PNG for the documents' visual regression tests).
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  # pdftoppm and pdftotext: the documents' visual and text checks (tests/documents).
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

setup_translations() {
  # The English catalogue is compiled here, not committed (anjian/locale/*/LC_MESSAGES/django.mo is
  # git-ignored); compilemessages needs GNU gettext's msgfmt.
  if ! command -v msgfmt >/dev/null 2>&1; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends gettext >/dev/null
  fi
  ANJIAN_ALLOW_DEV_SECRET=1 .venv/bin/anjian compilemessages -v 0 --ignore=.venv --ignore=node_modules --ignore=var
}

setup() {
  setup_python
  setup_frontend
  setup_translations
  mkdir -p var/static var/media
}

demo_env() {
  if [ ! -f var/secret_key ]; then
    .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
    chmod 600 var/secret_key
  fi
  SECRET_KEY="$(cat var/secret_key)"
  export SECRET_KEY
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
}

seed_demo() {
  # The demo province first; then its annual plans, draws and operations; then inspections (today's
  # tasks, records, rectification orders, case proposals); then cases, which take over an
  # inspection's proposal. Each step leaves existing data alone, so rerunning is safe.
  .venv/bin/anjian seed --if-empty
  .venv/bin/anjian seed_planning
  .venv/bin/anjian seed_inspections
  .venv/bin/anjian seed_cases
  .venv/bin/anjian seed --logins
}

demo() {
  setup
  demo_env
  .venv/bin/anjian migrate --noinput -v 0
  .venv/bin/anjian collectstatic --noinput -v 0
  seed_demo
  .venv/bin/anjian db_worker >var/worker.log 2>&1 &
  local worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
  echo "Anjian: http://127.0.0.1:8000  (后台任务日志 var/worker.log; Ctrl-C 停止)"
  .venv/bin/gunicorn anjian.wsgi --bind 127.0.0.1:8000 --workers 3 --access-logfile - --log-level warning
}

run_tests() {
  setup
  setup_system_packages
  export ANJIAN_TESTING=1 ANJIAN_ALLOW_DEV_SECRET=1
  .venv/bin/python -m pytest -n 2 "$@"
}

case "${1:-}" in
  demo) demo ;;
  test) shift; run_tests "$@" ;;
  setup) setup; setup_system_packages ;;
  *) echo "usage: ./dev.sh demo | test [pytest args] | setup" >&2; exit 2 ;;
esac
