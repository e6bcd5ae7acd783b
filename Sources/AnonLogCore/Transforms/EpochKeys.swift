/// The keyed primitives of one epoch.
///
/// A class, so that handing them to a cache miss retains one reference: as a struct of
/// three keyed values it retained and released each of their key objects at every miss (6% of
/// a run where every address is distinct). Immutable after init.
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
