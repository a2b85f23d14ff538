// WebAddress.h: one split for every address the gate keeps, checks and logs.
#include "GateEnrollment.h"
#include "StaffAction.h"
#include "WebAddress.h"

#include <catch2/catch.hpp>

#include <utf8.h>

using namespace gatepass;

TEST_CASE("web address: the parts of an address", "[webaddress]")
{
    auto a = splitWebAddress("https://u:secret@office.example.org:8443/up/load?k=1#top");
    REQUIRE(a);
    CHECK(a->scheme == "https");
    CHECK(a->userinfo == "u:secret");
    CHECK(a->host == "office.example.org");
    CHECK(a->port == "8443");
    CHECK(a->path == "/up/load");
    CHECK(a->rest == "?k=1#top");
    auto v6 = splitWebAddress("http://[::1]:8080");
    REQUIRE(v6);
    CHECK(v6->host == "[::1]");
    CHECK(v6->port == "8080");
    CHECK(v6->path.empty());
    auto bare = splitWebAddress("https://八角路.example/");
    REQUIRE(bare);
    CHECK(bare->host == "八角路.example");
}

TEST_CASE("web address: what is not one", "[webaddress]")
{
    for (std::string_view bad : {"", "office.example.org", "ftp://office.example.org/", "https://", "https:///up",
                                 "https://u@/up", "https://host:/up", "https://host:123456/", "https://host:8o/",
                                 "https://ho st/", "https://host/a\"b", "https://host/<x>", "https://host/\\",
                                 "https://host/\x7f", "javascript:alert(1)", "https://host/\xff"})
        CHECK_FALSE(splitWebAddress(bad));
}

TEST_CASE("web address: batches go over https, or plain http to this machine only", "[webaddress]")
{
    for (std::string_view ok : {"https://office.example.org/up", "http://127.0.0.1:8080/up", "http://localhost/up", "http://[::1]:9/"})
        CHECK(uploadUrlAllowed(ok));
    for (std::string_view no : {"http://office.example.org/up", "http://localhost.evil.example/", "http://127.0.0.1@evil.example/",
                                "http://127.0.0.1.evil.example/", "https://", "ftp://localhost/"})
        CHECK_FALSE(uploadUrlAllowed(no));
}

TEST_CASE("web address: as logged, no credential, query or fragment; cut at a code point", "[webaddress]")
{
    CHECK(loggedAddress("https://u:secret@office.example.org:8443/up?token=t#f") == "https://office.example.org:8443/up");
    CHECK(loggedAddress("not an address") == "?");
    // A path of three-byte characters cut inside one would leave bytes the office refuses.
    std::string longPath = "https://office.example.org/";
    for (int i = 0; i < 100; ++i)
        longPath += "门";
    std::string logged = loggedAddress(longPath);
    CHECK(logged.size() <= kMaxStaffName);
    CHECK(logged.size() >= kMaxStaffName - 2);
    CHECK(utf8::is_valid(logged.begin(), logged.end()));
    CHECK(longPath.starts_with(logged));
}
