import CMapGuard

/// A fault in anonlog prints one line and exits 3, with no memory dump (`MapGuard.h`).
public enum CrashGuard {
    /// Installs the handlers; call first thing in `main`.
    public static func install() { anonlog_crash_guard_install() }
}
