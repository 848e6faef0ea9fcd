function __webex_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __webex_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __webex_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __webex_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __webex_parse_tokens -S
    set -l unparsed_tokens (__webex_tokens -pc)
    switch $unparsed_tokens[1]
    case 'webex'
        __webex_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'people'
            __webex_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'me'
                __webex_parse_subcommand 0 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'get'
                __webex_parse_subcommand 1 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'list'
                __webex_parse_subcommand 0 'email=' 'name=' 'id=+' 'L/limit=' 'all' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            end
        case 'rooms'
            __webex_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __webex_parse_subcommand 0 'type=' 'team=' 'sort=' 'L/limit=' 'all' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'get'
                __webex_parse_subcommand 1 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'create'
                __webex_parse_subcommand 0 'title=' 'team=' 'description=' 'locked' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'update'
                __webex_parse_subcommand 1 'title=' 'description=' 'locked' 'no-locked' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'delete'
                __webex_parse_subcommand 1 'y/yes' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'version' 'h/help'
            case 'meeting-info'
                __webex_parse_subcommand 1 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            end
        case 'messages'
            __webex_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __webex_parse_subcommand 0 'room=' 'with=' 'parent=' 'mentioned=' 'before=' 'before-message=' 'L/limit=' 'all' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'get'
                __webex_parse_subcommand 1 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'send'
                __webex_parse_subcommand 0 'room=' 'to=' 'text=' 'markdown=' 'parent=' 'file=' 'file-url=' 'card=' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'edit'
                __webex_parse_subcommand 1 'text=' 'markdown=' 'room=' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
            case 'delete'
                __webex_parse_subcommand 1 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'version' 'h/help'
            case 'download'
                __webex_parse_subcommand 1 'dir=' 'o/output=' 'overwrite' 'allow-unscannable' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'version' 'h/help'
            end
        case 'api'
            __webex_parse_subcommand 2 'f/raw-field=+' 'F/field=+' 'H/header=+' 'input=' 'paginate' 'v/verbose' 'log-level=' 'color=' 'ca-bundle=' 'json' 'jsonl' 'jq=' 'version' 'h/help'
        case 'help'
            __webex_parse_subcommand -r 1 'version'
        end
    end
end

function __webex_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __webex_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __webex_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __webex_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__webex_tokens -p)
    if test -z "$(__webex_tokens -t)"
        set -l index (count (__webex_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'webex' -f
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex" -eq 1' -fa 'people' -d 'Look up people.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex" -eq 1' -fa 'rooms' -d 'List, show, create, change and delete rooms (spaces).'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex" -eq 1' -fa 'messages' -d 'Send, list, edit, delete messages and download their files.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex" -eq 1' -fa 'api' -d 'Call any Webex REST endpoint with your token.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex people" -eq 1' -fa 'me' -d 'Show who the access token belongs to.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex people" -eq 1' -fa 'get' -d 'Show a person by ID or email.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex people" -eq 1' -fa 'list' -d 'Search people by email, name prefix or IDs.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people me" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" email' -l 'email' -d 'Exact email address.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" name' -l 'name' -d 'Display name prefix.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list"' -l 'id' -d 'A person ID (repeat for several, at most 85).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" L limit' -s 'L' -l 'limit' -d 'Stop after this many items (default 100).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" all' -l 'all' -d 'Fetch every item, streaming pages as they arrive.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex people list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'list' -d 'List the rooms you are in.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'get' -d 'Show a room.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'create' -d 'Create a group room; you become its first member.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'update' -d 'Rename or change a room.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'delete' -d 'Delete a room and all its messages.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex rooms" -eq 1' -fa 'meeting-info' -d 'Show how to join a room\'s meeting (link, SIP address, number).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" type' -l 'type' -d 'direct or group.' -rfka 'direct group'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" team' -l 'team' -d 'Only rooms of this team (ID).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" sort' -l 'sort' -d 'id, lastactivity or created.' -rfka 'id lastactivity created'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" L limit' -s 'L' -l 'limit' -d 'Stop after this many items (default 100).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" all' -l 'all' -d 'Fetch every item, streaming pages as they arrive.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" title' -l 'title' -d 'The room\'s title.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" team' -l 'team' -d 'Create it in this team (ID).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" description' -l 'description' -d 'A description.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" locked' -l 'locked' -d 'Lock it: only moderators add people and change it.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" title' -l 'title' -d 'New title.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" description' -l 'description' -d 'New description.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" locked' -l 'locked' -d 'Lock or unlock the room.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" no-locked' -l 'no-locked' -d 'Lock or unlock the room.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms update" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" y yes' -l 'yes' -s 'y' -d 'Do not ask for confirmation.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex rooms meeting-info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'list' -d 'List messages of a room (newest first), or of a 1:1 conversation with --with.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'get' -d 'Show a message.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'send' -d 'Send a message to a room or a person.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'edit' -d 'Change the text of a message you sent.'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'delete' -d 'Delete a message (yours, or any as a moderator).'
complete -c 'webex' -n '__webex_should_offer_completions_for_positional "webex messages" -eq 1' -fa 'download' -d 'Download the files attached to a message.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" room' -l 'room' -d 'A room ID or exact title.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" with' -l 'with' -d 'The person (email or ID) of a 1:1 conversation.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" parent' -l 'parent' -d 'Only replies to this message (thread).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" mentioned' -l 'mentioned' -d 'Only messages mentioning \'me\' or a person ID (bots must use \'me\' in group rooms).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" before' -l 'before' -d 'Only messages sent before this time (ISO 8601).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" before-message' -l 'before-message' -d 'Only messages sent before this message ID.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" L limit' -s 'L' -l 'limit' -d 'Stop after this many items (default 100).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" all' -l 'all' -d 'Fetch every item, streaming pages as they arrive.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" room' -l 'room' -d 'A room ID or exact title.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" to' -l 'to' -d 'A person\'s email or ID (opens or reuses the 1:1 room).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" text' -l 'text' -d 'Plain text (\'-\' reads standard input).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" markdown' -l 'markdown' -d 'Markdown (\'-\' reads standard input).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" parent' -l 'parent' -d 'Reply in the thread of this message ID.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" file' -l 'file' -d 'Attach a local file (up to 100 MB).' -rF
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" file-url' -l 'file-url' -d 'Attach a file Webex fetches from a public URL.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" card' -l 'card' -d 'Send an adaptive card from a JSON file (the card itself, or a full attachment).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" text' -l 'text' -d 'New plain text (\'-\' reads standard input).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" markdown' -l 'markdown' -d 'New markdown (\'-\' reads standard input).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" room' -l 'room' -d 'The message\'s room (ID or title); looked up when omitted.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages edit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" dir' -l 'dir' -d 'Directory to write into (default: the current one).' -rfa '(__webex_complete_directories)'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" o output' -l 'output' -s 'o' -d 'File name to use (only for a message with one file).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" overwrite' -l 'overwrite' -d 'Replace existing files.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" allow-unscannable' -l 'allow-unscannable' -d 'Download files Webex could not scan for malware.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex messages download" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api"' -s 'f' -l 'raw-field' -d 'A string field key=value.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api"' -s 'F' -l 'field' -d 'A typed field key=value (true/false/null/number/@file).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api"' -s 'H' -l 'header' -d 'An extra request header \'Name: value\'.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" input' -l 'input' -d 'Request body from a file, or \'-\' for standard input.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" paginate' -l 'paginate' -d 'Follow Link rel="next" and print every item as one JSON array.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" v verbose' -l 'verbose' -s 'v' -d 'Show each HTTP exchange on stderr (the Authorization header is redacted).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" log-level' -l 'log-level' -d 'Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" color' -l 'color' -d 'Colour: auto|always|never (NO_COLOR turns auto off).' -rfka 'auto always never'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" ca-bundle' -l 'ca-bundle' -d 'Trust this PEM CA bundle in addition to the system\'s (or WEBEX_CA_BUNDLE).' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" json' -l 'json' -d 'Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" jsonl' -l 'jsonl' -d 'Print one JSON object per line, each as soon as it arrives (NDJSON).'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" jq' -l 'jq' -d 'Filter the JSON result with a jq expression; applied to the whole result, not per page.' -rfka ''
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" version' -l 'version' -d 'Show the version.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex api" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'webex' -n '__webex_should_offer_completions_for_flags_or_options "webex help" version' -l 'version' -d 'Show the version.'
