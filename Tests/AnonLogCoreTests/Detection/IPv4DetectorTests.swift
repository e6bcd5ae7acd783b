@testable import AnonLogCore
import Testing

/// IPv4 detection and redaction, as SPEC.md's `ipv4` row describes; every case is also run
/// through the pipeline cut at several chunk sizes.
@Suite struct IPv4DetectorTests {
    static let cases: [(String, String)] = [
        ("1.2.3.4", "0.0.0.0"),
        ("client 192.168.1.20 connected", "client 0.0.0.0 connected"),
        ("10.0.0.1:8080", "0.0.0.0:8080"),
        ("255.255.255.255", "0.0.0.0"),
        ("[1.2.3.4]", "[0.0.0.0]"),
        ("end of sentence 1.2.3.4.", "end of sentence 0.0.0.0."),
        ("http://120.0.0.1/path", "http://0.0.0.0/path"),
        ("GET /ip/8.8.8.8 HTTP/1.1", "GET /ip/0.0.0.0 HTTP/1.1"),
        ("a=1.2.3.4&b=5.6.7.8", "a=0.0.0.0&b=0.0.0.0"),
        ("\"1.2.3.4\"", "\"0.0.0.0\""),
        // Not addresses: longer dotted runs, versions, leading zeros, out of range, words.
        ("1.2.3.4.5", "1.2.3.4.5"),
        ("Chrome/120.0.6099.109", "Chrome/120.0.6099.109"),
        ("(KHTML) Chrome/120.0.0.0 Safari", "(KHTML) Chrome/120.0.0.0 Safari"),
        ("01.2.3.4", "01.2.3.4"),
        ("1.2.3.04", "1.2.3.04"),
        ("256.1.1.1", "256.1.1.1"),
        ("1.2.3.256", "1.2.3.256"),
        ("1.2.3", "1.2.3"),
        ("v1.2.3.4", "v1.2.3.4"),
        ("1.2.3.4a", "1.2.3.4a"),
        ("11.2.3.4.5.6.7.8", "11.2.3.4.5.6.7.8"),
        ("1234.1.2.3", "1234.1.2.3"),
        ("x.1.2.3.4", "x.1.2.3.4"),
        // Regression (issue 14): an address inside a host name is an address, written back in
        // the name's own separators and order.
        ("1.2.3.4.example.com", "0.0.0.0.example.com"),
        ("rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn", "rhost=ec2-0-0-0-0.cn-north-1.compute.amazonaws.com.cn"),
        ("from 71-13-115-12.static.mdsn.wi.charter.com", "from 0-0-0-0.static.mdsn.wi.charter.com"),
        ("ip-172-31-3-150.ap-southeast-2.compute.internal", "ip-0-0-0-0.ap-southeast-2.compute.internal"),
        ("c-73-12-34-56.hsd1.ca.comcast.net", "c-0-0-0-0.hsd1.ca.comcast.net"),
        ("(62.99.164.82.sh.interxion.inode.at)", "(0.0.0.0.sh.interxion.inode.at)"),
        ("kernel: calvisitor-10-105-160-95 up", "kernel: calvisitor-0-0-0-0 up"),
        ("PTR 4.3.2.1.in-addr.arpa.", "PTR 0.0.0.0.in-addr.arpa."),
        ("1-2-3-4-5", "1-2-3-4-5"),
        // Review of issue 14's first version.
        ("id=firewall fw=203.0.113.5 pri=6", "id=firewall fw=0.0.0.0 pri=6"),
        ("static.88-198-1-2.clients.your-server.de", "static.0-0-0-0.clients.your-server.de"),
        ("{\"version\": \"4.12.0.8\"}", "{\"version\": \"4.12.0.8\"}"),
        ("commons-x-2.6.0.1.jar", "commons-x-2.6.0.1.jar"),
        ("hibernate 1.0.0.0.Final", "hibernate 1.0.0.0.Final"),
        ("DHCPACK to BE-90-25-61-77-CE via eth0", "DHCPACK to BE-90-25-61-77-CE via eth0"),
        ("node-1-2-3-4-5.example.com", "node-1-2-3-4-5.example.com"),
        ("bare 10-0-0-1 here", "bare 10-0-0-1 here"),
        ("2026-11-26-10", "2026-11-26-10"),
        ("1.2.3.4.5.example.com", "1.2.3.4.5.example.com"),
        // Regression (issue 14): Java's InetSocketAddress (`host/IP:port`) is an address.
        ("Old: msra-sa-41/10.190.173.170:9000", "Old: msra-sa-41/0.0.0.0:9000"),
        ("MRClientService at MININT-FNANLI5.fareast.corp.microsoft.com/10.86.169.121:62260",
         "MRClientService at MININT-FNANLI5.fareast.corp.microsoft.com/0.0.0.0:62260"),
        ("connect a/10.1.2.3 now", "connect a/0.0.0.0 now"),
        ("Zookeeper localhost/127.0.0.1:2181", "Zookeeper localhost/0.0.0.0:2181"),
        ("Firefox/2.0.0.4 (like Gecko)", "Firefox/2.0.0.4 (like Gecko)"),
        // Regression (issue 14): a version after a version key or word is not an address.
        ("version=4.12.0.8", "version=4.12.0.8"),
        ("(wcp.dll version 0.0.0.6)", "(wcp.dll version 0.0.0.6)"),
        ("ver 1.2.3.4", "ver 1.2.3.4"),
        ("{\"version\":\"1.2.3.4\"}", "{\"version\":\"1.2.3.4\"}"),
        ("server 1.2.3.4", "server 0.0.0.0"),
        ("conversion=1.2.3.4", "conversion=0.0.0.0"),
    ]

    @Test(arguments: cases)
    func redactsExactlyTheAddresses(input: String, expected: String) throws {
        #expect(TestSupport.reference(Array(input.utf8)) == Array(expected.utf8))
        for chunkSize in [1, 3, 8] {
            let line = Array((input + "\n" + input).utf8)
            let options = PipelineOptions(threads: 2, chunkSize: chunkSize, plan: TestSupport.redactPlan)
            let (bytes, _) = try TestSupport.runPipeline(line, options: options)
            #expect(bytes == Array((expected + "\n" + expected).utf8), "chunk size \(chunkSize)")
        }
    }
}
