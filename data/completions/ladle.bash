# bash completion for ladle(1)                             -*- shell-script -*-
#
# Copyright 2026 The Ladle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The option lists are written out here rather than read from `ladle COMMAND --help-all` at
# completion time: nothing is started on each Tab, the lists do not depend on the locale, and
# they work before the program is installed. tests/test-completion.c checks that they name every
# option `ladle COMMAND --help-all` lists, so that a new option cannot be forgotten here.

_ladle_commands='send serve ws run import'

# Options every command takes (GOption's own, and --version)
_ladle_common_opts='--help --version'

# Transport options (src/cli/ladle-cli-transport.c), in send and ws
_ladle_transport_opts='--cert --key --cacert --proxy --proxy-user --noproxy --http1.1'

_ladle_send_opts="--help-all --help-auth --help-oauth2
    --request --header --json --json-unchecked --data --data-file --form --file --user --bearer
    --connect-timeout --idle-timeout --timeout --no-follow --max-redirects --insecure --output
    --verbose --timing --pretty --raw --curl --env --var
    --digest --api-key --api-key-query
    --oauth2-grant --oauth2-issuer --oauth2-token-url --oauth2-auth-url --oauth2-device-url
    --oauth2-client-id --oauth2-client-secret --oauth2-client-auth --oauth2-scope --oauth2-user
    --oauth2-audience --oauth2-param --oauth2-callback-port --oauth2-no-pkce --oauth2-show-token
    --cookie --cookie-jar
    $_ladle_transport_opts"

_ladle_serve_opts='--help-all --help-tls
    --host --port --uploads --max-upload-size --max-ws-message --max-connections --max-body-memory
    --routes --allow-any-body-file --idle-timeout --quiet
    --tls --tls-cert --tls-key'

_ladle_ws_opts="--send --send-file --send-text-file --repeat --stats --header --protocol --origin
    --deflate --ping-interval --connect-timeout --timeout --close --insecure --verbose
    --cookie
    $_ladle_transport_opts"

_ladle_run_opts='--env --var --request --bail --junit --json --har --parallel --timeout --insecure
    --no-color --cookie --cookie-jar --workspace-cookies'

_ladle_import_opts='--to'

# The methods the window offers, and TRACE (any token is accepted)
_ladle_methods='GET POST PUT PATCH DELETE HEAD OPTIONS TRACE'

# The names of the requests of a .http file, one a line: `# @name NAME` (or `// @name`,
# `@name=NAME`), else the name after `###`. Bounded: the first MiB of a regular file. In awk: bash's
# read takes a system call per byte from a pipe.
_ladle_request_names()
{
    [[ -f $1 && -r $1 ]] || return
    head -c 1048576 -- "$1" 2>/dev/null | LC_ALL=C awk '
        /^###/ {
            if (name != "") print name
            name = substr($0, 4)
            gsub(/^[ \t]+|[ \t\r]+$/, "", name)
            next
        }
        /^[ \t]*(#|\/\/)[ \t]*@name([ \t]*=|[ \t])/ {
            s = $0
            sub(/^[ \t]*(#|\/\/)[ \t]*@name[ \t]*=?[ \t]*/, "", s)
            sub(/[ \t\r].*$/, "", s)
            if (s != "") name = s
        }
        END { if (name != "") print name }' 2>/dev/null
}

# Adds to COMPREPLY the names read from stdin (one a line) that start with $2, each after $1 and
# quoted for the command line. Called with `< <(...)`: in a pipeline it would run in a subshell.
_ladle_add_names()
{
    local prefix=$1 want name quoted
    want=$(dequote "$2")
    while IFS= read -r name; do
        [[ $name == "$want"* ]] || continue
        printf -v quoted '%q' "$prefix$name"
        COMPREPLY+=("$quoted")
    done
}

_ladle()
{
    local cur prev words cword split
    _init_completion -s || return

    local cmd=""
    ((cword > 1)) && cmd=${words[1]}

    if ((cword == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_ladle_commands help" -- "$cur"))
        fi
        return
    fi

    # Option values: those that are words from a list, files or folders, and those that take a
    # free value (nothing is offered for them)
    case $cmd:$prev in
        send:--request | send:-X)
            COMPREPLY=($(compgen -W "$_ladle_methods" -- "${cur^^}"))
            return
            ;;
        send:--oauth2-grant)
            COMPREPLY=($(compgen -W 'client_credentials password authorization_code device_code' \
                -- "$cur"))
            return
            ;;
        send:--oauth2-client-auth)
            COMPREPLY=($(compgen -W 'basic body' -- "$cur"))
            return
            ;;
        send:--data-file | send:--output | send:-o | *:--cookie | *:-b | *:--cookie-jar | *:-c | \
            *:--cert | *:-E | *:--key | ws:--send-file | ws:--send-text-file)
            _filedir
            return
            ;;
        *:--cacert | serve:--tls-cert | serve:--tls-key)
            _filedir '@(pem|crt|cer|key)'
            return
            ;;
        send:--file)
            # NAME=PATH: the path after the =
            if [[ $cur == *=* ]]; then
                cur=${cur#*=}
                _filedir
            fi
            return
            ;;
        serve:--routes | run:--json)
            _filedir json
            return
            ;;
        run:--junit)
            _filedir xml
            return
            ;;
        run:--har)
            _filedir har
            return
            ;;
        serve:--uploads | import:--to | import:-t)
            _filedir -d
            return
            ;;
        serve:--host)
            COMPREPLY=($(compgen -W '127.0.0.1 ::1 0.0.0.0 localhost' -- "$cur"))
            return
            ;;
        *:--proxy | *:-x)
            COMPREPLY=($(compgen -W 'http:// https:// socks5:// socks5h://' -- "$cur"))
            [[ ${COMPREPLY-} == *:// ]] && compopt -o nospace 2>/dev/null
            return
            ;;
        ws:--close)
            COMPREPLY=($(compgen -W '1000 1001 1008 1011' -- "$cur"))
            return
            ;;
        run:--request | run:-r)
            # The names of the requests of the .http files on the line
            local i
            for ((i = 2; i < ${#words[@]}; i++)); do
                ((i == cword)) && continue
                [[ ${words[i]} == *.@(http|rest|HTTP|REST) ]] || continue
                _ladle_add_names "" "$cur" < <(_ladle_request_names "$(dequote "${words[i]}")")
            done
            return
            ;;
        send:--header | send:-H | send:--json | send:--data | send:-d | send:--form | send:-F | \
            send:--user | send:-u | send:--bearer | *:--connect-timeout | *:--idle-timeout | \
            *:--timeout | *:-m | send:--max-redirects | send:--curl | *:--env | *:-e | *:--var | \
            send:--api-key | send:--api-key-query | send:--oauth2-* | *:--proxy-user | *:-U | \
            *:--noproxy | serve:--port | serve:-p | serve:--max-* | ws:--send | ws:-s | \
            ws:--repeat | ws:-n | ws:--header | ws:-H | ws:--protocol | ws:-p | ws:--origin | \
            ws:--ping-interval | run:--parallel | run:-p | run:-t)
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        local opts
        case $cmd in
            send) opts=$_ladle_send_opts ;;
            serve) opts=$_ladle_serve_opts ;;
            ws) opts=$_ladle_ws_opts ;;
            run) opts=$_ladle_run_opts ;;
            import) opts=$_ladle_import_opts ;;
            *) return ;;
        esac
        COMPREPLY=($(compgen -W "$_ladle_common_opts $opts" -- "$cur"))
        return
    fi

    # Arguments
    case $cmd in
        send)
            # URL, or FILE#NAME: a request of a .http file
            if [[ $cur == *#* ]]; then
                local file
                file=$(dequote "${cur%%#*}")
                _ladle_add_names "$file#" "${cur#*#}" < <(_ladle_request_names "$file")
            elif [[ $cur != *://* ]]; then
                _filedir '@(http|rest)'
            fi
            ;;
        run)
            # .http files and folders
            _filedir '@(http|rest)'
            ;;
        import)
            # Postman collections, HAR files and files of curl commands: the kind is read from
            # each file's content, so every file is offered
            _filedir
            ;;
    esac
} &&
    complete -F _ladle ladle

# ex: filetype=sh
