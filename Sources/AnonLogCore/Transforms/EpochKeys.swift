/// The keyed primitives of one epoch.
///
/// A class, so that handing them to a cache miss retains one reference: a struct of three
/// keyed values would retain and release each of their key objects at every miss. Immutable
/// after init.
final class EpochKeys: Sendable {
    let tokens: TokenMaker
    let pfx: IPCryptPfx
    let deterministic: IPCryptDeterministic

    init(key: [UInt8], epoch: String?) {
        let sub = SubKeys(key: key, epoch: epoch)
        tokens = TokenMaker(tokenKey: sub.token)
        pfx = IPCryptPfx(key: sub.ipcryptPfx)
        deterministic = IPCryptDeterministic(key: sub.ipcryptDeterministic)
    }
}
