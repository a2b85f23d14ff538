#include "Roster.h"

#include "Csv.h"
#include "Fields.h"
#include "Validation.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <variant>

namespace gatepass {

namespace {

Message rosterError(std::string code, std::string zh, std::string en) { return Message{std::move(code), std::move(zh), std::move(en), ""}; }

// The cell as typed: surrounding spaces and tabs dropped, and the apostrophe
// the export puts before a cell that would run as a formula.
std::string_view cellText(std::string_view c)
{
    while (!c.empty() && (c.front() == ' ' || c.front() == '\t'))
        c.remove_prefix(1);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t'))
        c.remove_suffix(1);
    if (c.size() > 1 && c.front() == '\'' && std::string_view("=+-@").find(c[1]) != std::string_view::npos)
        c.remove_prefix(1);
    return c;
}

bool sameLetters(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// "2026/3/7" (Excel's way) as well as "2026-03-07".
std::optional<Date> dateOf(std::string_view t)
{
    if (auto d = Date::parse(t))
        return d;
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(std::string(t).c_str(), "%4d/%2d/%2d%c", &y, &m, &d, &tail) == 3)
        return Date::fromYmd(y, m, d);
    return std::nullopt;
}

std::optional<int> choiceIndex(std::span<const Choice> choices, std::string_view t)
{
    for (size_t i = 0; i < choices.size(); ++i)
        if (t == choices[i].zh || sameLetters(t, choices[i].en) || t == choices[i].value)
            return int(i);
    return std::nullopt;
}

Message cellError(const FieldSpec& f, std::string_view zhWhat, std::string_view enWhat)
{
    return Message{"roster.cell", std::string(f.zh) + "：" + std::string(zhWhat), std::string(f.en) + ": " + std::string(enWhat),
                   std::string(f.key)};
}

// Puts one cell into the person; a cell that is no value of its kind is a problem.
struct CellSetter {
    const FieldSpec& f;
    Person& p;
    std::string_view t;
    std::optional<Message> operator()(std::string Person::*m) const
    {
        p.*m = std::string(t);
        return std::nullopt;
    }
    std::optional<Message> operator()(bool Person::*m) const
    {
        if (t == "是" || sameLetters(t, "yes"))
            p.*m = true;
        else if (t == "否" || sameLetters(t, "no") || t.empty())
            p.*m = false;
        else
            return cellError(f, "应填“是”或“否”", "should be Yes or No");
        return std::nullopt;
    }
    std::optional<Message> operator()(std::optional<Date> Person::*m) const
    {
        if (t.empty()) {
            p.*m = std::nullopt;
            return std::nullopt;
        }
        auto d = dateOf(t);
        if (!d)
            return cellError(f, "日期应写作 2026-03-07", "a date should be written 2026-03-07");
        p.*m = d;
        return std::nullopt;
    }
    std::optional<Message> operator()(DocType Person::*m) const { return choice(m); }
    std::optional<Message> operator()(PersonType Person::*m) const { return choice(m); }
    template <typename E>
    std::optional<Message> choice(E Person::*m) const
    {
        auto i = choiceIndex(f.choices, t);
        if (!i) {
            std::string zh = "应为以下之一：", en = "should be one of: ";
            for (size_t k = 0; k < f.choices.size(); ++k) {
                zh += (k ? "、" : "") + std::string(f.choices[k].zh);
                en += (k ? ", " : "") + std::string(f.choices[k].en);
            }
            return cellError(f, zh, en);
        }
        p.*m = E(*i);
        return std::nullopt;
    }
};

std::optional<Message> setField(const FieldSpec& f, Person& p, std::string_view t) { return std::visit(CellSetter{f, p, t}, f.member); }

// "住址"), in Chinese or English, the JSON key, or what rosters commonly say.
const FieldSpec* columnField(std::string_view name)
{
    static constexpr std::pair<std::string_view, std::string_view> kCommon[] = {
        {"电话", "phone"}, {"手机", "phone"}, {"手机号", "phone"}, {"手机号码", "phone"}, {"人员类别", "person_type"},
        {"身份证号", "doc_number"}, {"身份证号码", "doc_number"}, {"证件号", "doc_number"}, {"住址", "address"}};
    for (const FieldSpec& f : fields()) {
        const std::string_view zhShort = f.zh.substr(0, f.zh.find("（"));
        if (name == f.zh || name == zhShort || sameLetters(name, f.en) || name == f.key)
            return &f;
    }
    for (const auto& [common, key] : kCommon)
        if (name == common)
            return findField(key);
    return nullptr;
}

} // namespace

Result<Roster> readRoster(std::string_view text, Date today)
{
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    auto records = csvRecords(text);
    if (!records)
        return rosterError("roster.damaged", "文件不是完整的 CSV（引号未闭合），请在 Excel 中另存为 CSV 后再试",
                           "The file is not complete CSV (a quote is never closed): save it from Excel as CSV and try again");
    if (records->size() < 2)
        return rosterError("roster.empty", "文件中没有人员（第一行应为列名，下面每行一人）",
                           "The file holds nobody (the first line names the columns, then one person a line)");
    if (records->size() - 1 > kMaxRosterRows)
        return rosterError("roster.too_many", "人员过多：一次最多导入 " + std::to_string(kMaxRosterRows) + " 行",
                           "Too many rows: at most " + std::to_string(kMaxRosterRows) + " at a time");

    // The header: every column one of the form's fields, no field twice.
    std::vector<const FieldSpec*> columns;
    std::set<std::string_view> seen;
    for (const std::string& name : records->front().cells) {
        const FieldSpec* f = columnField(cellText(name));
        if (!f || !seen.insert(f->key).second) {
            const std::string shown(cellText(name));
            return rosterError("roster.columns",
                               "第 1 行的列名“" + shown + "”" + (f ? "重复" : "不是登记表的项目") +
                                   "；列名应为登记表的项目（姓名、证件类型、证件号码、电话……），文件编码应为 UTF-8 或 GBK",
                               "The column \"" + shown + "\" on line 1 " + (f ? "appears twice" : "is not an item of the form") +
                                   "; the columns should be the form's items (Name, Document type, Document number, Phone…), "
                                   "the file UTF-8 or GBK");
        }
        columns.push_back(f);
    }
    for (std::string_view needed : {"name", "doc_type", "doc_number"})
        if (!seen.contains(needed)) {
            const FieldSpec* f = findField(needed);
            return rosterError("roster.columns", "缺少列“" + std::string(f->zh) + "”（第 1 行应为列名）",
                               "The column \"" + std::string(f->en) + "\" is missing (line 1 names the columns)");
        }

    Roster out;
    std::map<std::string, int, std::less<>> lineOf; // number → the line it was first on
    for (size_t r = 1; r < records->size(); ++r) {
        const CsvRecord& rec = (*records)[r];
        auto problem = [&](Message m) { out.problems.push_back({rec.line, std::move(m)}); };
        if (rec.cells.size() > columns.size()) {
            problem(rosterError("roster.cells", "此行的格子比列名多", "This line has more cells than there are columns"));
            continue;
        }
        Person p;
        std::optional<Message> bad;
        for (size_t c = 0; c < columns.size() && !bad; ++c)
            bad = setField(*columns[c], p, c < rec.cells.size() ? cellText(rec.cells[c]) : std::string_view());
        if (bad) {
            problem(*bad);
            continue;
        }
        Validated v = validate(p, today);
        if (!v.ok()) {
            Message m = v.errors.front();
            if (const FieldSpec* f = findField(m.field)) { // name the column: the rule's words may not
                m.zh = std::string(f->zh) + "：" + m.zh;
                m.en = std::string(f->en) + ": " + m.en;
            }
            problem(std::move(m));
            continue;
        }
        if (auto [it, added] = lineOf.emplace(v.person.docNumber, rec.line); !added) {
            problem(Message{"roster.duplicate", "证件号码与第 " + std::to_string(it->second) + " 行相同",
                            "The same document number as line " + std::to_string(it->second), "doc_number"});
            continue;
        }
        out.persons.push_back(std::move(v.person));
    }
    return out;
}

} // namespace gatepass
