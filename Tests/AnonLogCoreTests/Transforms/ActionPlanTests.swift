@testable import AnonLogCore
import Testing

/// The action plan: which actions SPEC.md defines per type, and `keep` skipping detection.
@Suite struct ActionPlanTests {
    @Test func keepLeavesAddressesAndSkipsTheirDetection() throws {
        let plan = try ActionPlan(profile: .redact, overrides: [.ipv4: .keep])
        let input = Array("1.2.3.4 and 5.6.7.8\n".utf8)
        let (bytes, stats) = try TestSupport.runPipeline(input, options: PipelineOptions(threads: 1, plan: plan))
        #expect(bytes == input)
        #expect(stats.counts[.ipv4] == 0)
    }

    @Test func actionsSpecDoesNotDefineAreRefused() {
        #expect(throws: AnonLogError.self) { try ActionPlan(profile: .redact, overrides: [.username: .encrypt]) }
        #expect(throws: AnonLogError.self) { try ActionPlan(profile: .redact, overrides: [.username: .truncate]) }
        #expect(throws: AnonLogError.self) { try ActionPlan(profile: .redact, overrides: [.email: .encrypt]) }
        #expect(throws: Never.self) { try ActionPlan(profile: .pseudonymize) }
    }

    /// Every action SPEC.md defines for a type reads back as that action, next to any other
    /// type's (the plan packs them into one word).
    @Test func everyDefinedActionReadsBack() throws {
        for type in DetectionType.allCases {
            for action in Action.allCases where action.isDefined(for: type) {
                for profile in Profile.allCases {
                    let plan = try ActionPlan(profile: profile, overrides: [type: action])
                    #expect(plan[type] == action, "\(type) \(action)")
                    for other in DetectionType.allCases where other != type {
                        #expect(plan[other] == (profile == .redact ? .redact : .pseudonymize), "\(other) beside \(type)")
                    }
                }
            }
        }
        #expect(DetectionType.allCases.allSatisfy { ActionPlan.keepAll[$0] == .keep })
    }

    @Test func keepAllChangesNothingAndScanOptionsKeepTheirTypes() {
        #expect(ActionPlan.keepAll.changedTypes.isEmpty)
        #expect(!ActionPlan.keepAll.needsKey)
    }
}
