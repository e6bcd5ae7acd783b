import ArgumentParser
import AnonLogCore

extension CompressionFormat: ExpressibleByArgument {}
extension Action: ExpressibleByArgument {}
extension Profile: ExpressibleByArgument {}
