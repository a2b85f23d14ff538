#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

Decision run(const Person& p, std::optional<double> temp, Direction dir = Direction::In, bool verified = true, Rules rules = {})
{
    auto d = decide(p, GateContext{temp, dir, verified}, kNow, rules);
    REQUIRE(d);
    return *d;
}

std::vector<std::string> codes(const Decision& d)
{
    std::vector<std::string> out;
    for (const auto& r : d.reasons)
        out.push_back(r.code);
    return out;
}

} // namespace

TEST_CASE("a verified resident without risk is allowed, with a reason in words", "[policy]")
{
    auto d = run(samplePerson(), 36.5);
    CHECK(d.verdict == Verdict::Allow);
    CHECK(codes(d) == std::vector<std::string>{"ok"});
    CHECK_FALSE(d.reasons[0].zh.empty());
}

TEST_CASE("fever at the threshold is referred; below it is not", "[policy]")
{
    CHECK(run(samplePerson(), 37.3).verdict == Verdict::Refer);
    CHECK(codes(run(samplePerson(), 37.3)) == std::vector<std::string>{"fever"});
    CHECK(run(samplePerson(), 37.2).verdict == Verdict::Allow);
    Rules strict;
    strict.feverAtOrAbove = 37.0;
    CHECK(run(samplePerson(), 37.1, Direction::In, true, strict).verdict == Verdict::Refer);
}

TEST_CASE("temperature is required coming in and must be plausible", "[policy]")
{
    auto none = decide(samplePerson(), GateContext{std::nullopt, Direction::In, true}, kNow, Rules{});
    CHECK(none.error().code == "temperature.missing");
    auto cold = decide(samplePerson(), GateContext{30.0, Direction::In, true}, kNow, Rules{});
    CHECK(cold.error().code == "temperature.range");
    CHECK(run(samplePerson(), std::nullopt, Direction::Out).verdict == Verdict::Allow);
}

TEST_CASE("returned within the window and not under observation is referred", "[policy]")
{
    Person p = samplePerson();
    p.leftCity = true;
    p.cameFrom = "武汉";
    p.returnDate = Date{kNow.today().days - 13};
    CHECK(codes(run(p, 36.5)) == std::vector<std::string>{"returned"});
    p.returnDate = Date{kNow.today().days - 14};
    CHECK(run(p, 36.5).verdict == Verdict::Allow);
    p.returnDate = Date{kNow.today().days - 2};
    p.homeObservation = true;
    p.observationStart = p.returnDate;
    CHECK(codes(run(p, 36.5)) == std::vector<std::string>{"observation.return"});
    CHECK(run(p, 36.5).verdict == Verdict::Allow);
}

TEST_CASE("home observation: coming in allowed, going out denied", "[policy]")
{
    Person p = samplePerson();
    p.homeObservation = true;
    p.observationStart = kNow.today();
    CHECK(run(p, 36.5, Direction::In).verdict == Verdict::Allow);
    auto out = run(p, std::nullopt, Direction::Out);
    CHECK(out.verdict == Verdict::Deny);
    CHECK(codes(out) == std::vector<std::string>{"observation.out"});
}

TEST_CASE("contact, symptoms, visitors, deliveries, first visits", "[policy]")
{
    Person p = samplePerson();
    p.epidemicContact = true;
    p.symptoms = true;
    CHECK(codes(run(p, 36.5)) == std::vector<std::string>{"contact", "symptoms"});

    Person v = samplePerson();
    v.personType = PersonType::Visitor;
    CHECK(codes(run(v, 36.5)) == std::vector<std::string>{"visitor"});
    Rules lenient;
    lenient.referVisitors = false;
    CHECK(run(v, 36.5, Direction::In, true, lenient).verdict == Verdict::Allow);

    Person courier = samplePerson();
    courier.personType = PersonType::Delivery;
    CHECK(run(courier, 36.5).verdict == Verdict::Deny);
    CHECK(run(courier, std::nullopt, Direction::Out).verdict == Verdict::Allow);

    CHECK(codes(run(samplePerson(), 36.5, Direction::In, false)) == std::vector<std::string>{"unverified"});
}

TEST_CASE("the worst verdict wins and its reasons come first", "[policy]")
{
    Person p = samplePerson();
    p.personType = PersonType::Delivery;
    p.symptoms = true;
    auto d = run(p, 38.0, Direction::In, false);
    CHECK(d.verdict == Verdict::Deny);
    CHECK(codes(d) == std::vector<std::string>{"delivery", "fever", "symptoms", "unverified"});
}

TEST_CASE("a visitor coming in is referred once the visitors inside reach the cap; no cap by default", "[policy]")
{
    Person v = samplePerson();
    v.personType = PersonType::Visitor;
    Rules capped;
    capped.referVisitors = false;
    capped.maxVisitorsInside = 3;
    auto at = [&](int inside, Direction dir = Direction::In, Rules rules = {}) {
        auto d = decide(v, GateContext{36.5, dir, true, inside}, kNow, rules);
        REQUIRE(d);
        return *d;
    };
    CHECK(at(2, Direction::In, capped).verdict == Verdict::Allow);
    Decision full = at(3, Direction::In, capped);
    CHECK(full.verdict == Verdict::Refer);
    CHECK(codes(full) == std::vector<std::string>{"visitors.full"});
    CHECK(full.reasons[0].zh.find("3") != std::string::npos);
    CHECK(at(3, Direction::Out, capped).verdict == Verdict::Allow); // leaving is never held back
    Rules none;
    none.referVisitors = false;
    CHECK(at(500, Direction::In, none).verdict == Verdict::Allow);
    // A resident is not a visitor.
    auto resident = decide(samplePerson(), GateContext{36.5, Direction::In, true, 99}, kNow, capped);
    CHECK(resident->verdict == Verdict::Allow);
}

TEST_CASE("the direction offered first is the opposite of the last movement", "[policy]")
{
    CHECK(suggestedDirection(std::nullopt) == Direction::In);
    CHECK(suggestedDirection(Direction::In) == Direction::Out);
    CHECK(suggestedDirection(Direction::Out) == Direction::In);
}
