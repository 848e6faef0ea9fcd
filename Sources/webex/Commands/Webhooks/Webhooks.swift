import ArgumentParser
import Foundation
import WebexSDK

struct Webhooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Register webhooks, and receive them with a verifying local server.",
        subcommands: [WebhooksList.self, WebhooksGet.self, WebhooksCreate.self, WebhooksUpdate.self, WebhooksDelete.self, WebhooksServe.self])

    static var columns: [Column<Webhook>] {
        [
            Column(header: "NAME", truncatable: true) { $0.name ?? "" },
            Column(header: "RESOURCE") { $0.resource ?? "" },
            Column(header: "EVENT") { $0.event ?? "" },
            Column(header: "STATUS") { $0.status ?? "" },
            Column(header: "TARGET", truncatable: true) { $0.targetUrl ?? "" },
            Column(header: "ID") { $0.id },
        ]
    }
}

/// Where a webhook secret comes from, without putting it in `ps` output: a file, the environment, or
/// (discouraged) an argument.
struct SecretOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the webhook secret from this file (or set WEBEX_WEBHOOK_SECRET).", valueName: "file"))
    var secretFile: String?
    @Option(help: ArgumentHelp("The webhook secret itself (visible to other users in `ps`; prefer --secret-file).", valueName: "secret"))
    var secret: String?

    func validate() throws {
        if secretFile != nil && secret != nil { throw ValidationError("give --secret-file or --secret, not both") }
    }

    func resolve(_ env: [String: String]) throws -> String? {
        if let secretFile {
            guard let d = FileManager.default.contents(atPath: secretFile) else { throw CLIError.usage("cannot read --secret-file \(secretFile)") }
            let s = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !s.isEmpty else { throw CLIError.usage("--secret-file \(secretFile) is empty") }
            return s
        }
        if let secret { return secret }
        if let e = env["WEBEX_WEBHOOK_SECRET"], !e.isEmpty { return e }
        return nil
    }
}

struct WebhooksList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your webhooks.", aliases: ["ls"])
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await Renderer(io: CLIContext.current.io, options: output).list(client.webhooks.list(limit: limit.value), columns: Webhooks.columns, noun: "webhooks")
    }
}

struct WebhooksGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a webhook.")
    @Argument(help: "The webhook ID.") var webhook: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.webhooks.get(webhook), columns: Webhooks.columns)
    }
}

struct WebhooksCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Register a webhook.",
        discussion: """
            Resources: \(Webhook.resources.joined(separator: ", ")).
            Events: \(Webhook.events.joined(separator: ", ")).
            Filters are key=value joined with &, e.g. --filter "roomId=ROOM_ID&personEmail=a@example.com".
            """)
    @Option(help: "A name for it.") var name: String
    @Option(help: "Where Webex POSTs events (http or https URL).") var targetUrl: String
    @Option(help: "messages, memberships, rooms, attachmentActions, … or all.") var resource: String
    @Option(help: "created, updated, deleted, … or all.") var event: String
    @Option(help: "Only events matching key=value[&key=value].") var filter: String?
    @OptionGroup var secret: SecretOptions
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard Webhook.resources.contains(resource) else {
            throw ValidationError("unknown resource '\(resource)': use one of \(Webhook.resources.joined(separator: ", "))")
        }
        guard Webhook.events.contains(event) else {
            throw ValidationError("unknown event '\(event)': use one of \(Webhook.events.joined(separator: ", "))")
        }
        if let f = filter {
            for part in f.split(separator: "&", omittingEmptySubsequences: false) {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count != 2 || kv[0].isEmpty || kv[1].isEmpty { throw ValidationError("filter '\(f)' is not key=value[&key=value]") }
            }
        }
    }

    func run() async throws {
        let ctx = CLIContext.current
        let client = try globals.makeClient()
        let hook = try await client.webhooks.create(name: name, targetUrl: targetUrl, resource: resource, event: event,
                                                    filter: filter, secret: try secret.resolve(ctx.environment))
        try Renderer(io: ctx.io, options: output).item(hook, columns: Webhooks.columns)
    }
}

struct WebhooksUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Rename a webhook, change its target or secret, or (re)activate it.")
    @Argument(help: "The webhook ID.") var webhook: String
    @Option(help: "New name.") var name: String?
    @Option(help: "New target URL.") var targetUrl: String?
    @Option(help: "active or inactive.") var status: String?
    @OptionGroup var secret: SecretOptions
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let s = status, !["active", "inactive"].contains(s) { throw ValidationError("--status must be active or inactive") }
    }

    func run() async throws {
        let ctx = CLIContext.current
        let secretValue = try secret.resolve(ctx.environment)
        if name == nil && targetUrl == nil && status == nil && secretValue == nil {
            throw CLIError.usage("nothing to change: give --name, --target-url, --status or a secret")
        }
        let client = try globals.makeClient()
        let hook = try await client.webhooks.update(webhook, name: name, targetUrl: targetUrl, secret: secretValue, status: status)
        try Renderer(io: ctx.io, options: output).item(hook, columns: Webhooks.columns)
    }
}

struct WebhooksDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a webhook.")
    @Argument(help: "The webhook ID.") var webhook: String
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await client.webhooks.delete(webhook)
        let io = CLIContext.current.io
        if io.stderrIsTTY { io.err("Deleted webhook \(webhook)\n") }
    }
}
