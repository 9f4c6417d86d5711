#!/bin/bash
# start-tryton.sh - erpfront's Tryton sandbox (`npm run tryton -- start|stop|status`): bring up a Tryton 6.0 ERP (Debian packages) with B2B demo
# data on a SQLite file and serve JSON-RPC on 127.0.0.1:PORT.
#
#   ./start-tryton.sh start    # create DB if missing, load demo data, start, wait
#   ./start-tryton.sh stop     # stop the trytond started by this script (by PID)
#   ./start-tryton.sh status
#
# Environment (all optional):
#   TRYTON_DIR    working dir for config, DB file, log, pid  ($TMPDIR/erpfront-tryton)
#   TRYTON_PORT   port on 127.0.0.1                          (8000)
#   TRYTON_DB     database name (= SQLite file name)         (demo)
#   TRYTON_FRESH  1 = delete the database file first         (0)
#   TRYTON_ADMIN_PASSWORD  password of the 'admin' user      (admin)
#   TRYTON_API_LOGIN / TRYTON_API_PASSWORD  API user created by setup_demo.py
#                                              (webstore / WebShopApi-2024x)
#   TRYTON_SETUP  1 = run setup_demo.py even on a database it already set up (0)
# The demo data is loaded once per database (setup_demo.py is idempotent but takes seconds):
# a stop/start, as the outage tests do, brings the server back within about a second.
# Needs (apt-get install --no-install-recommends): tryton-server tryton-proteus
#   tryton-modules-sale-price-list tryton-modules-sale-credit-limit
#   tryton-modules-sale-stock-quantity tryton-modules-stock-forecast
#   tryton-modules-sale-shipment-cost tryton-modules-account-invoice curl
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=${TRYTON_DIR:-${TMPDIR:-/tmp}/erpfront-tryton}
PORT=${TRYTON_PORT:-8000}
DB=${TRYTON_DB:-demo}
ADMIN_PASSWORD=${TRYTON_ADMIN_PASSWORD:-admin}
MODULES="sale_price_list sale_credit_limit sale_stock_quantity stock_forecast
    sale_shipment_cost account_invoice"
# trytond/proteus live in Debian's python, not in whatever python3 is on PATH
PY=/usr/bin/python3
CONF=$DIR/trytond.conf
PIDFILE=$DIR/trytond.pid
URL=http://127.0.0.1:$PORT/

is_running() {
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

answers() {
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d '{"id":0,"method":"common.server.version","params":[]}' "$URL"
}

start() {
    mkdir -p "$DIR/db"
    cat > "$CONF" <<EOF
[database]
uri = sqlite://
path = $DIR/db
language = en

[web]
listen = 127.0.0.1:$PORT

[session]
# seconds of inactivity before a session expires (trytond default: 300)
timeout = 3600
EOF
    local dbfile=$DIR/db/$DB.sqlite
    if [ "${TRYTON_FRESH:-0}" = 1 ]; then
        is_running && { echo "stop the running server first" >&2; exit 1; }
        rm -f "$dbfile"
    fi
    local created=0
    if [ ! -s "$dbfile" ]; then
        created=1
        touch "$dbfile"    # the SQLite backend refuses a missing file
        local pwfile
        pwfile=$(mktemp)
        printf '%s' "$ADMIN_PASSWORD" > "$pwfile"
        echo "initialising database $dbfile ..."
        local t0=$SECONDS
        # shellcheck disable=SC2086
        TRYTONPASSFILE=$pwfile trytond-admin -c "$CONF" -d "$DB" --all \
            --activate-dependencies -u $MODULES --email admin@example.com
        rm -f "$pwfile"
        echo "database initialised in $((SECONDS - t0)) s"
    fi
    if is_running; then
        echo "trytond already running (pid $(cat "$PIDFILE")); not re-running setup"
    else
        if [ "${TRYTON_SETUP:-0}" = 1 ] || [ ! -s "$DIR/demo-ids.json" ] \
                || [ "$created" = 1 ]; then
            local t0=$SECONDS
            "$PY" -W ignore "$HERE/setup_demo.py" -c "$CONF" -d "$DB" \
                > "$DIR/demo-ids.json.tmp"
            mv "$DIR/demo-ids.json.tmp" "$DIR/demo-ids.json"
            echo "demo data loaded in $((SECONDS - t0)) s -> $DIR/demo-ids.json"
        fi
        nohup trytond -c "$CONF" > "$DIR/trytond.log" 2>&1 &
        echo $! > "$PIDFILE"
    fi
    for _ in $(seq 1 60); do
        if answers; then
            echo "trytond pid $(cat "$PIDFILE") answers on ${URL}$DB/"
            return 0
        fi
        is_running || break
        sleep 0.5
    done
    echo "trytond did not answer; see $DIR/trytond.log" >&2
    exit 1
}

stop() {
    if is_running; then
        local pid
        pid=$(cat "$PIDFILE")
        kill "$pid"
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        echo "stopped trytond pid $pid"
    else
        echo "not running"
    fi
    rm -f "$PIDFILE"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) if is_running && answers; then echo "running, pid $(cat "$PIDFILE")";
            else echo "not running"; exit 1; fi ;;
    *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
