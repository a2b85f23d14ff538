// The roster import's reading (Roster.h, Csv.h csvRecords): a resident list
// as Excel saves it, every row checked by the person rules, bad rows named by
// their line.
#include "Fixtures.h"

#include "Csv.h"
#include "Roster.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

TEST_CASE("CSV records: quotes, doubled quotes, line breaks inside cells, CRLF or LF; the line each record starts on", "[csv][roster]")
{
    auto r = csvRecords("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,\r\n");
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    CHECK((*r)[0].line == 1);
    CHECK((*r)[0].cells == std::vector<std::string>{"a", "b"});
    CHECK((*r)[1].line == 2);
    CHECK((*r)[1].cells == std::vector<std::string>{"x, \"y\"", "two\nlines"});
    CHECK((*r)[2].line == 5); // after the two-line record and the blank line
    CHECK((*r)[2].cells == std::vector<std::string>{"last", ""});
    CHECK_FALSE(csvRecords("a,\"never closed\r\nb,c\r\n"));
}

TEST_CASE("a roster in the form's words is read; the persons export's header and cells read back", "[roster]")
{
    Person p = samplePerson();
    p.address = "-1 层";
    const std::string exported = personsCsv(std::vector<PersonRecord>{{p, kNow.unixMs, std::nullopt, ""}}, kDefaultUtcOffsetMinutes);
    // The export's last three columns are not the form's: a roster is the 12 items.
    std::string text;
    const auto records = csvRecords(exported.substr(3)); // held: a range-for over *temporary would dangle
    REQUIRE(records);
    for (const auto& rec : *records) {
        std::vector<std::string> cells(rec.cells.begin(), rec.cells.end() - 3);
        std::vector<std::string> quoted;
        for (const auto& c : cells)
            quoted.push_back(csvCell(c));
        text += csvRow(quoted);
    }
    auto r = readRoster(std::string(kUtf8Bom) + text, kNow.today());
    INFO((r ? std::string() : r.error().code));
    REQUIRE(r);
    CHECK(r->problems.empty());
    REQUIRE(r->persons.size() == 1);
    CHECK(r->persons[0] == p);
}

TEST_CASE("a roster as a community keeps it: common column names, Excel's dates, only some columns", "[roster]")
{
    const std::string text =
        "姓名,证件类型,身份证号码,手机,人员类别,住址,是否居家观察,居家观察开始日期\r\n"
        "张喆,居民身份证,11010519491231002x,13800138000,本社区户籍居民,3-2-501,否,\r\n"
        "王玥,Passport,E7654321,139 1234 5678,tenant,5-1-302,是,2026/11/20\r\n";
    auto r = readRoster(text, kNow.today());
    REQUIRE(r);
    INFO((r->problems.empty() ? "" : r->problems[0].message.zh));
    REQUIRE(r->problems.empty());
    REQUIRE(r->persons.size() == 2);
    CHECK(r->persons[0].docNumber == "11010519491231002X");
    CHECK(r->persons[1].docType == DocType::Passport);
    CHECK(r->persons[1].personType == PersonType::Tenant);
    CHECK(r->persons[1].homeObservation);
    CHECK(r->persons[1].observationStart == Date::fromYmd(2026, 11, 20));
}

TEST_CASE("bad rows are listed by the line they start on, each with the core's reason; the good ones are not taken alone", "[roster]")
{
    const std::string text =
        "姓名,证件类型,证件号码,联系电话,人员类型,住址\n"
        "张喆,居民身份证,11010519491231002X,13800138000,本社区户籍居民,3-2-501\n"  // line 2: good
        "李四,居民身份证,11010519491231003X,13800138000,本社区户籍居民,3-2-502\n"  // line 3: check digit
        "\"王\n五\",护照,E1234567,13800138000,本社区户籍居民,3-2-503\n"            // lines 4–5: a line break in the name
        ",居民身份证,11010519491231002X,13800138000,本社区户籍居民,3-2-504\n"      // line 6: no name (and the number again)
        "赵六,驾照,E7654321,13800138000,本社区户籍居民,3-2-505\n"                   // line 7: no such type
        "钱七,护照,E7654321,13800138000,本社区户籍居民,3-2-506\n"                   // line 8: good
        "孙八,护照,E7654321,13800138000,本社区户籍居民,3-2-507\n";                  // line 9: line 8's number
    auto r = readRoster(text, kNow.today());
    REQUIRE(r);
    std::vector<std::pair<int, std::string>> got;
    for (const auto& p : r->problems)
        got.push_back({p.line, p.message.field});
    CHECK(got == std::vector<std::pair<int, std::string>>{{3, "doc_number"}, {4, "name"}, {6, "name"}, {7, "doc_type"}, {9, "doc_number"}});
    for (const auto& p : r->problems) {
        CHECK_FALSE(p.message.zh.empty());
        CHECK_FALSE(p.message.en.empty());
    }
    CHECK(r->problems[3].message.zh.find("居民身份证") != std::string::npos); // the choices named
    CHECK(r->problems[4].message.code == "roster.duplicate");
    CHECK(r->problems[4].message.zh.find("第 8 行") != std::string::npos);
}

TEST_CASE("a file that is no roster is refused whole: columns, no rows, a cut-off quote", "[roster]")
{
    auto code = [](std::string_view text) {
        auto r = readRoster(text, kNow.today());
        return r ? std::string("ok") : r.error().code;
    };
    CHECK(code("姓名,证件类型,证件号码,血型\n张喆,居民身份证,11010519491231002X,A\n") == "roster.columns");
    CHECK(code("姓名,证件号码\n张喆,11010519491231002X\n") == "roster.columns");       // no 证件类型
    CHECK(code("姓名,姓名,证件类型,证件号码\n张喆,张喆,居民身份证,11010519491231002X\n") == "roster.columns"); // twice
    CHECK(code("ÐÕÃû,Ö¤¼þÀàÐÍ\nabc,def\n") == "roster.columns");                     // GBK read as Latin-1
    CHECK(code("姓名,证件类型,证件号码\n") == "roster.empty");
    CHECK(code("") == "roster.empty");
    CHECK(code("姓名,证件类型,证件号码\n\"张喆,居民身份证,1\n") == "roster.damaged");
}
