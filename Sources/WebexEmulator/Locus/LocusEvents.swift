import Foundation

/// Locus changes as Mercury events (reference §4.2). Every change bumps the locus sequence once and is
/// sent to each affected person's authorized sockets (participants not LEFT/DECLINED, plus whoever the
/// change itself concerned, so a person who just left or was removed learns it):
/// ```
/// {"id":"<uuid>","sequenceNumber":N,"timestamp":<ms>,"trackingId":"EMULATOR_<uuid>",
///  "data":{"eventType":"locus.difference","locusUrl":"<locus url>","locus":<delta after the previous sequence>}}
/// ```
/// A person who got a participant in this change (joined, or was invited) receives the full DTO instead,
/// with `eventType:"locus.participant_joined"`. Reactions are relayed to the joined participants as
/// ```
/// {"data":{"eventType":"relay.event","relayType":"react","locusUrl":"<locus url>",
///          "sender":{"participantId":"<id>","name":"<display name>"},
///          "reaction":{"type":"thumb_up","codepoints":"1F44D","shortcodes":":thumbsup:","tone":{…}}}}
/// ```
/// (JSSDK receives these on its LLM socket; the emulator has none, so they come on the Mercury socket.)
/// Everything is queued on the sockets inside the store actor, so events of one locus keep their order.
extension EmulatorStore {
    /// Stamps the pending changes with a new sequence, stores the locus, and publishes the change.
    /// A locus without pending changes is only stored.
    func commitLocus(_ locus: Locus) {
        var l = locus
        guard l.hasPendingChanges else {
            meetingsState.loci[l.id] = l
            return
        }
        let base = l.sequence
        let seq = Locus.nextSequence(after: base)
        l.sequence = seq
        for part in l.pendingParts { l.changed[part] = seq }
        var audience = Set<String>()
        for i in l.participants.indices {
            if l.pendingParticipants.contains(l.participants[i].id) {
                l.participants[i].changed = seq
                if let uuid = l.participants[i].personUUID { audience.insert(uuid) }
            }
            let p = l.participants[i]
            if let uuid = p.personUUID, p.state != "LEFT", p.state != "DECLINED" { audience.insert(uuid) }
        }
        let newPeople = l.pendingNewPeople
        l.pendingParts = []
        l.pendingParticipants = []
        l.pendingNewPeople = []
        meetingsState.loci[l.id] = l
        if !l.active, meetingsState.live[l.target.key] == l.id { meetingsState.live[l.target.key] = nil }
        publishLocus(l, base: base, audience: audience, newPeople: newPeople)
    }

    private func publishLocus(_ l: Locus, base: Int64, audience: Set<String>, newPeople: Set<String>) {
        guard mercury.hasListeners else { return }
        for person in audience.sorted() {
            let full = newPeople.contains(person)
            mercury.deliver(to: [person]) { host in
                let data: JSONValue = [
                    "eventType": full ? "locus.participant_joined" : "locus.difference",
                    "locusUrl": .string(locusURL(l, host: host)),
                    "locus": renderLocus(l, viewer: person, host: host, since: full ? nil : base),
                ]
                return data.serializedBytes()
            }
        }
    }

    func publishReaction(_ l: Locus, sender: LocusParticipant, reaction: JSONValue) {
        guard mercury.hasListeners else { return }
        let audience = l.participants.filter { $0.state == "JOINED" }.compactMap(\.personUUID)
        mercury.deliver(to: audience) { host in
            let data: JSONValue = [
                "eventType": "relay.event", "relayType": "react", "locusUrl": .string(locusURL(l, host: host)),
                "sender": ["participantId": .string(sender.id), "name": .string(sender.name)], "reaction": reaction,
            ]
            return data.serializedBytes()
        }
    }
}
