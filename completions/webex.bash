#!/bin/bash

__webex_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__webex_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__webex_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__webex_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_webex() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    auth|people|rooms|messages|memberships|teams|team-memberships|webhooks|events|cards|attachment-actions|meetings|meeting|media|api|help)
        # Offer subcommand argument completions
        "_webex_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'auth people rooms messages memberships teams team-memberships webhooks events cards attachment-actions meetings meeting media api help' -- "${cur}"))
        ;;
    esac
}

_webex_auth() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    login|guest|status|token|logout|switch|list)
        # Offer subcommand argument completions
        "_webex_auth_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'login guest status token logout switch list' -- "${cur}"))
        ;;
    esac
}

_webex_auth_login() {
    repeating_flags=()
    non_repeating_flags=(--with-token --device --no-browser --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--client-id --client-secret --client-secret-file --scope --port --timeout --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--client-id')
        return
        ;;
    '--client-secret')
        return
        ;;
    '--client-secret-file')
        return
        ;;
    '--scope')
        return
        ;;
    '--port')
        return
        ;;
    '--timeout')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_guest() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--issuer --secret --secret-file --name --subject --jwt --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--issuer')
        return
        ;;
    '--secret')
        return
        ;;
    '--secret-file')
        return
        ;;
    '--name')
        return
        ;;
    '--subject')
        return
        ;;
    '--jwt')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_status() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_token() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_logout() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_switch() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_auth_list() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_people() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    me|get|list)
        # Offer subcommand argument completions
        "_webex_people_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'me get list' -- "${cur}"))
        ;;
    esac
}

_webex_people_me() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_people_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_people_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=(--id)
    non_repeating_options=(--email --name -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--email')
        return
        ;;
    '--name')
        return
        ;;
    '--id')
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_rooms() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete|meeting-info)
        # Offer subcommand argument completions
        "_webex_rooms_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete meeting-info' -- "${cur}"))
        ;;
    esac
}

_webex_rooms_list() {
    repeating_flags=()
    non_repeating_flags=(--unread --all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--type --team --sort -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--type')
        __webex_add_completions -W 'direct'$'\n''group'
        return
        ;;
    '--team')
        return
        ;;
    '--sort')
        __webex_add_completions -W 'id'$'\n''lastactivity'$'\n''created'
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_rooms_get() {
    repeating_flags=()
    non_repeating_flags=(--read-status --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_rooms_create() {
    repeating_flags=()
    non_repeating_flags=(--locked --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--title --team --description --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--team')
        return
        ;;
    '--description')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_rooms_update() {
    repeating_flags=()
    non_repeating_flags=(--locked --no-locked --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--title --description --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--description')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_rooms_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_rooms_meeting-info() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_messages() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|send|edit|delete|download|listen)
        # Offer subcommand argument completions
        "_webex_messages_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get send edit delete download listen' -- "${cur}"))
        ;;
    esac
}

_webex_messages_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --with --parent --mentioned --before --before-message -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--room')
        return
        ;;
    '--with')
        return
        ;;
    '--parent')
        return
        ;;
    '--mentioned')
        return
        ;;
    '--before')
        return
        ;;
    '--before-message')
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_messages_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_messages_send() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --to --text --markdown --parent --file --file-url --card --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--room')
        return
        ;;
    '--to')
        return
        ;;
    '--text')
        return
        ;;
    '--markdown')
        return
        ;;
    '--parent')
        return
        ;;
    '--file')
        __webex_add_completions -f
        return
        ;;
    '--file-url')
        return
        ;;
    '--card')
        __webex_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_messages_edit() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--text --markdown --room --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--text')
        return
        ;;
    '--markdown')
        return
        ;;
    '--room')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_messages_delete() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_messages_download() {
    repeating_flags=()
    non_repeating_flags=(--overwrite --allow-unscannable --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--dir --output -o --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--dir')
        __webex_add_completions -d
        return
        ;;
    '--output'|'-o')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_messages_listen() {
    repeating_flags=()
    non_repeating_flags=(--no-catch-up --verbose -v --version -h --help)
    repeating_options=(--event)
    non_repeating_options=(--room --count --timeout --exec --jq --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--event')
        return
        ;;
    '--room')
        return
        ;;
    '--count')
        return
        ;;
    '--timeout')
        return
        ;;
    '--exec')
        return
        ;;
    '--jq')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_memberships() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete|seen)
        # Offer subcommand argument completions
        "_webex_memberships_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete seen' -- "${cur}"))
        ;;
    esac
}

_webex_memberships_list() {
    repeating_flags=()
    non_repeating_flags=(--read-status --all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --person -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--room')
        return
        ;;
    '--person')
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_memberships_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_memberships_create() {
    repeating_flags=()
    non_repeating_flags=(--moderator --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --person --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--room')
        return
        ;;
    '--person')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_memberships_update() {
    repeating_flags=()
    non_repeating_flags=(--moderator --no-moderator --hidden --no-hidden --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_memberships_delete() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_memberships_seen() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--room --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--room')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_teams() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete)
        # Offer subcommand argument completions
        "_webex_teams_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete' -- "${cur}"))
        ;;
    esac
}

_webex_teams_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(-L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_teams_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_teams_create() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--name --description --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--description')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_teams_update() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--name --description --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--description')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_teams_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_team-memberships() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete)
        # Offer subcommand argument completions
        "_webex_team-memberships_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete' -- "${cur}"))
        ;;
    esac
}

_webex_team-memberships_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--team -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--team')
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_team-memberships_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_team-memberships_create() {
    repeating_flags=()
    non_repeating_flags=(--moderator --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--team --person --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--team')
        return
        ;;
    '--person')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_team-memberships_update() {
    repeating_flags=()
    non_repeating_flags=(--moderator --no-moderator --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_team-memberships_delete() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_webhooks() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete|serve)
        # Offer subcommand argument completions
        "_webex_webhooks_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete serve' -- "${cur}"))
        ;;
    esac
}

_webex_webhooks_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(-L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_webhooks_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_webhooks_create() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--name --target-url --resource --event --filter --secret-file --secret --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--target-url')
        return
        ;;
    '--resource')
        return
        ;;
    '--event')
        return
        ;;
    '--filter')
        return
        ;;
    '--secret-file')
        return
        ;;
    '--secret')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_webhooks_update() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--name --target-url --status --secret-file --secret --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--target-url')
        return
        ;;
    '--status')
        return
        ;;
    '--secret-file')
        return
        ;;
    '--secret')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_webhooks_delete() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_webhooks_serve() {
    repeating_flags=()
    non_repeating_flags=(--fetch --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--host --port --secret-file --secret --exec --count --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--secret-file')
        return
        ;;
    '--secret')
        return
        ;;
    '--exec')
        return
        ;;
    '--count')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_events() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    listen|devices|unregister)
        # Offer subcommand argument completions
        "_webex_events_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'listen devices unregister' -- "${cur}"))
        ;;
    esac
}

_webex_events_listen() {
    repeating_flags=()
    non_repeating_flags=(--no-catch-up --verbose -v --version -h --help)
    repeating_options=(--resource --event)
    non_repeating_options=(--room --count --timeout --exec --jq --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--resource')
        return
        ;;
    '--event')
        return
        ;;
    '--room')
        return
        ;;
    '--count')
        return
        ;;
    '--timeout')
        return
        ;;
    '--exec')
        return
        ;;
    '--jq')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_events_devices() {
    repeating_flags=()
    non_repeating_flags=(--json --jsonl --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--jq --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--jq')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_events_unregister() {
    repeating_flags=()
    non_repeating_flags=(--all --yes -y --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_cards() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    submit)
        # Offer subcommand argument completions
        "_webex_cards_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'submit' -- "${cur}"))
        ;;
    esac
}

_webex_cards_submit() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=(--input)
    non_repeating_options=(--message --inputs-file --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--message')
        return
        ;;
    '--input')
        return
        ;;
    '--inputs-file')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_attachment-actions() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    get)
        # Offer subcommand argument completions
        "_webex_attachment-actions_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'get' -- "${cur}"))
        ;;
    esac
}

_webex_attachment-actions_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meetings() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|create|update|delete)
        # Offer subcommand argument completions
        "_webex_meetings_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get create update delete' -- "${cur}"))
        ;;
    esac
}

_webex_meetings_list() {
    repeating_flags=()
    non_repeating_flags=(--all --verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--state --number --from --to -L --limit --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state')
        return
        ;;
    '--number')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '-L'|'--limit')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meetings_get() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meetings_create() {
    repeating_flags=()
    non_repeating_flags=(--auto-record --no-auto-record --join-before-host --no-join-before-host --verbose -v --json --jsonl --version -h --help)
    repeating_options=(--invite)
    non_repeating_options=(--title --start --end --agenda --timezone --password-file --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--start')
        return
        ;;
    '--end')
        return
        ;;
    '--agenda')
        return
        ;;
    '--timezone')
        return
        ;;
    '--invite')
        return
        ;;
    '--password-file')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meetings_update() {
    repeating_flags=()
    non_repeating_flags=(--auto-record --no-auto-record --join-before-host --no-join-before-host --verbose -v --json --jsonl --version -h --help)
    repeating_options=(--invite)
    non_repeating_options=(--title --start --end --agenda --timezone --password-file --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--title')
        return
        ;;
    '--start')
        return
        ;;
    '--end')
        return
        ;;
    '--agenda')
        return
        ;;
    '--timezone')
        return
        ;;
    '--invite')
        return
        ;;
    '--password-file')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meetings_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_meeting() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    info|join|pmr|members|status|mute|unmute|admit|remove|lock|unlock|record|mute-all|make-host|invite|dtmf|react|layout|hand|leave|end)
        # Offer subcommand argument completions
        "_webex_meeting_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'info join pmr members status mute unmute admit remove lock unlock record mute-all make-host invite dtmf react layout hand leave end' -- "${cur}"))
        ;;
    esac
}

_webex_meeting_info() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--type --password-file --password --captcha-id --captcha --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--type')
        return
        ;;
    '--password-file')
        return
        ;;
    '--password')
        return
        ;;
    '--captcha-id')
        return
        ;;
    '--captcha')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_meeting_join() {
    repeating_flags=()
    non_repeating_flags=(--no-media --verbose -v --version -h --help)
    repeating_options=()
    non_repeating_options=(--type --password-file --password --captcha-id --captcha --name --duration --host-pin --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--type')
        return
        ;;
    '--password-file')
        return
        ;;
    '--password')
        return
        ;;
    '--captcha-id')
        return
        ;;
    '--captcha')
        return
        ;;
    '--name')
        return
        ;;
    '--duration')
        return
        ;;
    '--host-pin')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_meeting_pmr() {
    repeating_flags=()
    non_repeating_flags=(--verbose -v --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--claim --pin --log-level --color --ca-bundle --token-file --profile)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--claim')
        return
        ;;
    '--pin')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    esac
}

_webex_meeting_members() {
    repeating_flags=()
    non_repeating_flags=(--json --jsonl --version -h --help)
    repeating_options=()
    non_repeating_options=(--session --jq)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_meeting_status() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_mute() {
    repeating_flags=()
    non_repeating_flags=(--video --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_unmute() {
    repeating_flags=()
    non_repeating_flags=(--video --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_admit() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_remove() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_lock() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_unlock() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_record() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_mute-all() {
    repeating_flags=()
    non_repeating_flags=(--on-entry --disallow-unmute --undo --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_make-host() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_invite() {
    repeating_flags=()
    non_repeating_flags=(--cancel --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_dtmf() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_react() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--tone --session)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--tone')
        return
        ;;
    '--session')
        return
        ;;
    esac
}

_webex_meeting_layout() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_hand() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_leave() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_meeting_end() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--session)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--session')
        return
        ;;
    esac
}

_webex_media() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    devices|test|call)
        # Offer subcommand argument completions
        "_webex_media_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'devices test call' -- "${cur}"))
        ;;
    esac
}

_webex_media_devices() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--camera)
    non_repeating_options=()
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--camera')
        return
        ;;
    esac
}

_webex_media_test() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--mic --speaker --camera --seconds --play --channels --size --fps --snapshot)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--mic')
        return
        ;;
    '--speaker')
        return
        ;;
    '--camera')
        return
        ;;
    '--seconds')
        return
        ;;
    '--play')
        return
        ;;
    '--channels')
        return
        ;;
    '--size')
        return
        ;;
    '--fps')
        return
        ;;
    '--snapshot')
        return
        ;;
    esac
}

_webex_media_call() {
    repeating_flags=()
    non_repeating_flags=(--no-audio-processing --content-share --record-raw --relay-only --version -h --help)
    repeating_options=(--codec --bind --stun)
    non_repeating_options=(--offer-out --answer-in --offer-in --answer-out --audio --video --speaker --duration --record --turn --turn-user --turn-password-file --wait --connect-timeout --video-bitrate --audio-bitrate)
    __webex_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--offer-out')
        return
        ;;
    '--answer-in')
        return
        ;;
    '--offer-in')
        return
        ;;
    '--answer-out')
        return
        ;;
    '--audio')
        return
        ;;
    '--video')
        return
        ;;
    '--speaker')
        return
        ;;
    '--codec')
        return
        ;;
    '--duration')
        return
        ;;
    '--record')
        return
        ;;
    '--bind')
        return
        ;;
    '--stun')
        return
        ;;
    '--turn')
        return
        ;;
    '--turn-user')
        return
        ;;
    '--turn-password-file')
        return
        ;;
    '--wait')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--video-bitrate')
        return
        ;;
    '--audio-bitrate')
        return
        ;;
    esac
}

_webex_api() {
    repeating_flags=()
    non_repeating_flags=(--paginate --verbose -v --json --jsonl --version -h --help)
    repeating_options=(-f --raw-field -F --field -H --header)
    non_repeating_options=(--input --log-level --color --ca-bundle --token-file --profile --jq)
    __webex_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-f'|'--raw-field')
        return
        ;;
    '-F'|'--field')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--input')
        return
        ;;
    '--log-level')
        return
        ;;
    '--color')
        __webex_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--ca-bundle')
        return
        ;;
    '--token-file')
        return
        ;;
    '--profile')
        return
        ;;
    '--jq')
        return
        ;;
    esac
}

_webex_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __webex_offer_flags_options -1
}

complete -o filenames -F _webex webex
