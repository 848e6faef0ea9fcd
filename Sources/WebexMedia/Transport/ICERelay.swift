/// A relayed transport address the ICE agent can use as a local candidate (a TURN allocation).
/// The agent never calls `send` itself: it hands `(bytes, peer, relay)` to its owner's `send` callback,
/// which calls `relay.send(bytes, to: peer)`. Packets the relay receives from a peer are unwrapped by the
/// relay's owner and given to the agent with `handle(stun:from:via:)` (`from` = the peer's address).
/// A class (identity matters: the agent compares relays with `===`).
public protocol ICERelay: AnyObject, Sendable {
    /// The address the TURN server allocated for us (XOR-RELAYED-ADDRESS).
    var relayedAddress: SocketAddress { get }
    /// Sends `bytes` to `peer` through the relay (Send indication or ChannelData).
    func send(_ bytes: [UInt8], to peer: SocketAddress) throws
}
