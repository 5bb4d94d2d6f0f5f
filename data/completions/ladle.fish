# fish completion for ladle(1)
#
# Copyright 2026 The Ladle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# As data/completions/ladle.bash: the options are written out here, and tests/test-completion.c
# checks them against `ladle COMMAND --help-all`.

# The command is the first argument only (as src/main.c reads it)
function __ladle_command -d 'Whether the command of the line is $argv[1]'
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test "$words[2]" = "$argv[1]"
end

function __ladle_no_command -d 'Whether no command was given yet'
    test (count (commandline -opc)) -eq 1
end

# Files whose name ends with one of the suffixes $argv (any case), and folders
function __ladle_complete_files
    set -l pattern '\.('(string join '|' -- (string escape --style=regex -- $argv))')$'
    for path in (complete -C"__fish_command_without_completions "(commandline -ct))
        set path (string replace -r '\t.*' '' -- $path)
        if string match -q -- '*/' $path; or string match -qir -- $pattern $path
            echo $path
        end
    end
end

# The names of the requests of a .http file: `# @name NAME` (or `// @name`, `@name=NAME`), else
# the name after `###`. Bounded: the first MiB of a regular file.
function __ladle_request_names -a file
    test -f "$file"; and test -r "$file"; or return
    head -c 1048576 -- $file 2>/dev/null | LC_ALL=C awk '
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
end

# ladle send URL|FILE#NAME: .http files, and after FILE# the names of its requests
function __ladle_send_target
    set -l token (commandline -ct)
    if string match -q -- '*#*' $token
        set -l file (string split -m1 '#' -- $token)[1]
        for name in (__ladle_request_names $file)
            echo "$file#$name"
        end
    else if not string match -q -- '*://*' $token
        __ladle_complete_files http rest
    end
end

# ladle send --file NAME=PATH: the path after the =
function __ladle_complete_form_file
    set -l token (commandline -ct)
    string match -q -- '*=*' $token; or return
    set -l parts (string split -m1 = -- $token)
    for path in (complete -C"__fish_command_without_completions $parts[2]")
        echo "$parts[1]="(string replace -r '\t.*' '' -- $path)
    end
end

# ladle run --request NAME: the requests of the .http files of the line
function __ladle_run_request_names
    for word in (commandline -opc)
        string match -qir -- '\.(http|rest)$' $word; and __ladle_request_names $word
    end
end

complete -c ladle -e
complete -c ladle -n __ladle_no_command -f
complete -c ladle -n __ladle_no_command -a send -d 'Send one HTTP request and print the response'
complete -c ladle -n __ladle_no_command -a serve -d 'Run the local HTTP and WebSocket server'
complete -c ladle -n __ladle_no_command -a ws -d 'Talk to a WebSocket server'
complete -c ladle -n __ladle_no_command -a run -d 'Run the requests of .http files and check their assertions'
complete -c ladle -n __ladle_no_command -a import -d 'Turn Postman, HAR and curl files into .http files'
complete -c ladle -n __ladle_no_command -a help -d 'Show the commands'
complete -c ladle -n __ladle_no_command -s h -l help -d 'Show the commands'
complete -c ladle -n __ladle_no_command -l version -d 'Show the version'

# Every command
for command in send serve ws run import
    complete -c ladle -n "__ladle_command $command" -s h -l help -d 'Show help options'
    complete -c ladle -n "__ladle_command $command" -l version -d 'Show the version'
end
complete -c ladle -n '__ladle_command send' -l help-all -d 'Show all help options'
complete -c ladle -n '__ladle_command send' -l help-auth -d 'Show the authentication options'
complete -c ladle -n '__ladle_command send' -l help-oauth2 -d 'Show the OAuth 2.0 options'
complete -c ladle -n '__ladle_command serve' -l help-all -d 'Show all help options'
complete -c ladle -n '__ladle_command serve' -l help-tls -d 'Show the HTTPS options'

# Arguments
complete -c ladle -n '__ladle_command send' -f -a '(__ladle_send_target)'
complete -c ladle -n '__ladle_command serve' -f
complete -c ladle -n '__ladle_command ws' -f
complete -c ladle -n '__ladle_command run' -f -a '(__ladle_complete_files http rest)'
# import: any file (the kind is read from its content)

# ladle send
complete -c ladle -n '__ladle_command send' -l digest -d 'Use Digest authentication with --user (as curl --digest)'
complete -c ladle -n '__ladle_command send' -l api-key -x -d 'Send an API key in the header NAME'
complete -c ladle -n '__ladle_command send' -l api-key-query -x -d 'Send an API key as the query parameter NAME'
complete -c ladle -n '__ladle_command send' -l oauth2-grant -x -a 'client_credentials password authorization_code device_code' -d 'Get an OAuth 2.0 token first and send it as Bearer: client_credentials, password, authorization_code or device_code'
complete -c ladle -n '__ladle_command send' -l oauth2-issuer -x -d 'Read the endpoints from the issuer\'s discovery document'
complete -c ladle -n '__ladle_command send' -l oauth2-token-url -x -d 'The token endpoint'
complete -c ladle -n '__ladle_command send' -l oauth2-auth-url -x -d 'The authorization endpoint (authorization_code)'
complete -c ladle -n '__ladle_command send' -l oauth2-device-url -x -d 'The device authorization endpoint (device_code)'
complete -c ladle -n '__ladle_command send' -l oauth2-client-id -x -d 'The client id'
complete -c ladle -n '__ladle_command send' -l oauth2-client-secret -x -d 'The client secret'
complete -c ladle -n '__ladle_command send' -l oauth2-client-auth -x -a 'basic body' -d 'Send the client secret with HTTP Basic (default) or in the body'
complete -c ladle -n '__ladle_command send' -l oauth2-scope -x -d 'Scopes, separated by spaces'
complete -c ladle -n '__ladle_command send' -l oauth2-user -x -d 'The resource owner (password)'
complete -c ladle -n '__ladle_command send' -l oauth2-audience -x -d 'An audience parameter'
complete -c ladle -n '__ladle_command send' -l oauth2-param -x -d 'An extra parameter for the authorization and token requests; repeatable'
complete -c ladle -n '__ladle_command send' -l oauth2-callback-port -x -d 'The port of the loopback redirect (default: any free port)'
complete -c ladle -n '__ladle_command send' -l oauth2-no-pkce -d 'Do not send a PKCE challenge (authorization_code)'
complete -c ladle -n '__ladle_command send' -l oauth2-show-token -d 'Print the token\'s details and the token to stderr'
complete -c ladle -n '__ladle_command send' -s X -l request -x -a 'GET POST PUT PATCH DELETE HEAD OPTIONS TRACE' -d 'Method (default GET, or POST when there is a body)'
complete -c ladle -n '__ladle_command send' -s H -l header -x -d 'A request header; repeat for more'
complete -c ladle -n '__ladle_command send' -l json -x -d 'A JSON body (checked before sending)'
complete -c ladle -n '__ladle_command send' -l json-unchecked -d 'Send a JSON body even when it is not valid JSON'
complete -c ladle -n '__ladle_command send' -s d -l data -x -d 'A text body (Content-Type from -H, else application/x-www-form-urlencoded)'
complete -c ladle -n '__ladle_command send' -l data-file -r -F -d 'Send a file as the body, streamed from disk'
complete -c ladle -n '__ladle_command send' -s F -l form -x -d 'A form field; repeat for more (multipart when --file is used too)'
complete -c ladle -n '__ladle_command send' -l file -x -a '(__ladle_complete_form_file)' -d 'A file in a multipart body; repeat for more'
complete -c ladle -n '__ladle_command send' -s u -l user -x -d 'Basic authentication'
complete -c ladle -n '__ladle_command send' -l bearer -x -d 'Bearer token authentication'
complete -c ladle -n '__ladle_command send' -l connect-timeout -x -d 'Give up if resolving and connecting take longer'
complete -c ladle -n '__ladle_command send' -l idle-timeout -x -d 'Give up if no byte comes or goes for that long'
complete -c ladle -n '__ladle_command send' -s m -l timeout -x -d 'Give up if the whole request takes longer (total)'
complete -c ladle -n '__ladle_command send' -l no-follow -d 'Do not follow redirects'
complete -c ladle -n '__ladle_command send' -l max-redirects -x -d 'Follow at most N redirects (default 30)'
complete -c ladle -n '__ladle_command send' -s k -l insecure -d 'Do not verify TLS certificates'
complete -c ladle -n '__ladle_command send' -s o -l output -r -F -d 'Write the body to a file (it appears only once complete)'
complete -c ladle -n '__ladle_command send' -s v -l verbose -d 'Print the status line and headers to stderr'
complete -c ladle -n '__ladle_command send' -l timing -d 'Print the timing waterfall to stderr'
complete -c ladle -n '__ladle_command send' -l pretty -d 'Pretty-print a JSON body (the default when stdout is a terminal)'
complete -c ladle -n '__ladle_command send' -l raw -d 'Print the body exactly as received'
complete -c ladle -n '__ladle_command send' -l curl -x -d 'Send the request a curl command line describes'
complete -c ladle -n '__ladle_command send' -s e -l env -x -d 'For FILE#NAME: use the variables of this environment'
complete -c ladle -n '__ladle_command send' -l var -x -d 'For FILE#NAME: set a variable (repeatable)'
complete -c ladle -n '__ladle_command send' -s b -l cookie -r -F -d 'Send cookies: “NAME=VALUE; …”, or read them from a cookie file (Netscape format, as curl writes it; - for stdin); repeatable'
complete -c ladle -n '__ladle_command send' -s c -l cookie-jar -r -F -d 'At the end, write every cookie to this file (Netscape format, as curl writes it; - for stdout)'
complete -c ladle -n '__ladle_command send' -s E -l cert -r -F -d 'Client certificate: PEM (with --key) or PKCS#12, and its passphrase'
complete -c ladle -n '__ladle_command send' -l key -r -F -d 'Private key of the client certificate (PEM)'
complete -c ladle -n '__ladle_command send' -l cacert -x -a '(__ladle_complete_files pem crt cer)' -d 'Trust the CA certificates of this PEM file too'
complete -c ladle -n '__ladle_command send' -s x -l proxy -x -a 'http:// https:// socks5:// socks5h://' -d 'Go through this proxy (http://, https://, socks5://, socks5h://; "" for none)'
complete -c ladle -n '__ladle_command send' -s U -l proxy-user -x -d 'User name and password for the proxy'
complete -c ladle -n '__ladle_command send' -l noproxy -x -d 'Hosts reached without the proxy (comma-separated, "*" for all)'
complete -c ladle -n '__ladle_command send' -l http1.1 -d 'Use HTTP/1.1 only (no HTTP/2)'

# ladle serve
complete -c ladle -n '__ladle_command serve' -l tls -d 'Serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1, made on first use and kept in Ladle’s data folder'
complete -c ladle -n '__ladle_command serve' -l tls-cert -x -a '(__ladle_complete_files pem crt cer)' -d 'Serve HTTPS with this PEM certificate (intermediates may follow it)'
complete -c ladle -n '__ladle_command serve' -l tls-key -x -a '(__ladle_complete_files pem key)' -d 'The PEM private key of --tls-cert (default: the certificate file)'
complete -c ladle -n '__ladle_command serve' -l host -x -a '127.0.0.1 ::1 0.0.0.0 localhost' -d 'Address to listen on (default 127.0.0.1; 0.0.0.0 for all interfaces)'
complete -c ladle -n '__ladle_command serve' -s p -l port -x -d 'Port to listen on (default 8080; 0 picks a free one)'
complete -c ladle -n '__ladle_command serve' -l uploads -x -a '(__fish_complete_directories)' -d 'Folder for uploaded files (default ./uploads, created when missing)'
complete -c ladle -n '__ladle_command serve' -l max-upload-size -x -d 'Largest request body accepted by /upload (default 8G; 0 for no limit)'
complete -c ladle -n '__ladle_command serve' -l max-ws-message -x -d 'Largest WebSocket message accepted, fragmented or compressed (default 16M; 0 for no limit)'
complete -c ladle -n '__ladle_command serve' -l max-connections -x -d 'Most client connections open at once; more are answered 503 (default: from the limit on open files, at most 10000)'
complete -c ladle -n '__ladle_command serve' -l max-body-memory -x -d 'Most bytes of request bodies held in memory by all requests together; more are answered 503 (default 64M; 0 for no limit)'
complete -c ladle -n '__ladle_command serve' -l routes -x -a '(__ladle_complete_files json)' -d 'JSON file of mock routes (at most 16 MiB), matched before the built-in routes; its body files must be in its folder'
complete -c ladle -n '__ladle_command serve' -l allow-any-body-file -d 'Let mock routes serve body files from anywhere, not only from the routes file’s folder (any file this user can read)'
complete -c ladle -n '__ladle_command serve' -l idle-timeout -x -d 'Idle timeout: seconds a client may stay silent while sending a request (default 30)'
complete -c ladle -n '__ladle_command serve' -s q -l quiet -d 'Do not print the access log'

# ladle ws
complete -c ladle -n '__ladle_command ws' -s s -l send -x -d 'A text message to send; repeat for more (then wait for as many replies)'
complete -c ladle -n '__ladle_command ws' -l send-file -r -F -d 'Send a file as one binary message, after the --send messages'
complete -c ladle -n '__ladle_command ws' -l send-text-file -r -F -d 'Send a file (UTF-8) as one text message, after the --send messages'
complete -c ladle -n '__ladle_command ws' -s n -l repeat -x -d 'Send the --send and --send-text-file messages N times over, one at a time: each waits for the reply to the previous one'
complete -c ladle -n '__ladle_command ws' -l stats -d 'With --repeat: print the message rate and round-trip times as JSON on stderr'
complete -c ladle -n '__ladle_command ws' -s H -l header -x -d 'A handshake request header; repeat for more'
complete -c ladle -n '__ladle_command ws' -s p -l protocol -x -d 'A subprotocol to offer; repeat for more'
complete -c ladle -n '__ladle_command ws' -l origin -x -d 'The Origin header of the handshake'
complete -c ladle -n '__ladle_command ws' -l deflate -d 'Offer permessage-deflate compression'
complete -c ladle -n '__ladle_command ws' -l ping-interval -x -d 'Ping that often; give up when a pong does not come back in time'
complete -c ladle -n '__ladle_command ws' -l connect-timeout -x -d 'Give up if connecting and the handshake take longer'
complete -c ladle -n '__ladle_command ws' -s m -l timeout -x -d 'With --send: give up if the replies take longer (default 10)'
complete -c ladle -n '__ladle_command ws' -l close -x -a '1000 1001 1008 1011' -d 'Close with this code and reason (default 1000)'
complete -c ladle -n '__ladle_command ws' -s k -l insecure -d 'Do not verify TLS certificates'
complete -c ladle -n '__ladle_command ws' -s v -l verbose -d 'Print every event (direction, kind, size, time) and the close code to stderr'
complete -c ladle -n '__ladle_command ws' -s E -l cert -r -F -d 'Client certificate: PEM (with --key) or PKCS#12, and its passphrase'
complete -c ladle -n '__ladle_command ws' -l key -r -F -d 'Private key of the client certificate (PEM)'
complete -c ladle -n '__ladle_command ws' -l cacert -x -a '(__ladle_complete_files pem crt cer)' -d 'Trust the CA certificates of this PEM file too'
complete -c ladle -n '__ladle_command ws' -s x -l proxy -x -a 'http:// https:// socks5:// socks5h://' -d 'Go through this proxy (http://, https://, socks5://, socks5h://; "" for none)'
complete -c ladle -n '__ladle_command ws' -s U -l proxy-user -x -d 'User name and password for the proxy'
complete -c ladle -n '__ladle_command ws' -l noproxy -x -d 'Hosts reached without the proxy (comma-separated, "*" for all)'
complete -c ladle -n '__ladle_command ws' -l http1.1 -d 'Use HTTP/1.1 only (no HTTP/2)'
complete -c ladle -n '__ladle_command ws' -s b -l cookie -r -F -d 'Send cookies: “NAME=VALUE; …”, or read them from a cookie file (Netscape format, as curl writes it; - for stdin); repeatable'

# ladle run
complete -c ladle -n '__ladle_command run' -s e -l env -x -d 'Use the variables of this environment (http-client.env.json)'
complete -c ladle -n '__ladle_command run' -l var -x -d 'Set a variable, above every other definition (repeatable)'
complete -c ladle -n '__ladle_command run' -s r -l request -x -a '(__ladle_run_request_names)' -d 'Run only the request of this name, and those it needs (repeatable)'
complete -c ladle -n '__ladle_command run' -l bail -d 'Stop at the first request that fails'
complete -c ladle -n '__ladle_command run' -l junit -x -a '(__ladle_complete_files xml)' -d 'Write a JUnit XML report'
complete -c ladle -n '__ladle_command run' -l json -x -a '(__ladle_complete_files json)' -d 'Write a JSON report'
complete -c ladle -n '__ladle_command run' -l har -x -a '(__ladle_complete_files har)' -d 'Write the requests and responses as a HAR 1.2 file'
complete -c ladle -n '__ladle_command run' -s p -l parallel -x -d 'Send up to N requests at a time (default 1)'
complete -c ladle -n '__ladle_command run' -s t -l timeout -x -d 'Give up on a request after this many seconds, unless it sets its own'
complete -c ladle -n '__ladle_command run' -s k -l insecure -d 'Do not verify TLS certificates'
complete -c ladle -n '__ladle_command run' -l no-color -d 'Do not colour the output (also when NO_COLOR is set)'
complete -c ladle -n '__ladle_command run' -s b -l cookie -r -F -d 'Send cookies: “NAME=VALUE; …”, or read them from a cookie file (Netscape format, as curl writes it; - for stdin); repeatable'
complete -c ladle -n '__ladle_command run' -s c -l cookie-jar -r -F -d 'At the end, write every cookie to this file (Netscape format, as curl writes it; - for stdout)'
complete -c ladle -n '__ladle_command run' -l workspace-cookies -d 'Use the cookie jar the window keeps for the workspace (the folder given, else the current folder), and keep the new cookies in it'

# ladle import
complete -c ladle -n '__ladle_command import' -s t -l to -x -a '(__fish_complete_directories)' -d 'The folder to write the .http files in (created when missing)'
