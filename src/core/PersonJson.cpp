#include "PersonJson.h"

#include "Fields.h"

#include <algorithm>
#include <type_traits>

namespace gatepass {

using nlohmann::json;

json toJson(const Person& p)
{
    json j = json::object();
    for (const FieldSpec& f : fields()) {
        // Unconditionally required fields are always written, even empty.
        if (isBlank(f, p) && !(f.required && f.requiredWhen.empty()))
            continue;
        std::visit(
            [&](auto m) {
                const auto& v = p.*m;
                using V = std::remove_cvref_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::optional<Date>>)
                    j[f.key] = v->toString();
                else if constexpr (std::is_enum_v<V>)
                    j[f.key] = keyOf(v);
                else
                    j[f.key] = v;
            },
            f.member);
    }
    return j;
}

namespace {

Message shapeError(const FieldSpec& f, std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), std::string(f.key)};
}

} // namespace

PersonInput personFromJson(const json& j)
{
    PersonInput in;
    if (!j.is_object()) {
        in.errors.push_back(Message{"person.shape", "登记信息格式不正确", "The record is not an object", ""});
        return in;
    }
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!findField(it.key()))
            in.errors.push_back(Message{"person.unknown_key", "未知的登记项：" + it.key(), "Unknown item: " + it.key(), it.key()});

    Person& p = in.person;
    for (const FieldSpec& f : fields()) {
        auto it = j.find(f.key);
        bool absent = it == j.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty());
        if (absent) {
            // A yes/no left unanswered is an error of its own: "no" is an answer, silence is not.
            if (f.kind == FieldKind::YesNo)
                in.errors.push_back(shapeError(f, "required", "请选择" + std::string(f.zh), "Answer: " + std::string(f.en)));
            else if (f.kind == FieldKind::Choice)
                in.errors.push_back(shapeError(f, "required", "请选择" + std::string(f.zh), "Choose " + std::string(f.en)));
            continue;
        }
        const json& v = *it;
        switch (f.kind) {
        case FieldKind::YesNo:
            if (!v.is_boolean())
                in.errors.push_back(shapeError(f, "type", std::string(f.zh) + "应为是或否", std::string(f.en) + " must be yes or no"));
            else
                p.*std::get<bool Person::*>(f.member) = v.get<bool>();
            break;
        case FieldKind::Date: {
            auto d = v.is_string() ? Date::parse(v.get<std::string>()) : std::nullopt;
            if (!d)
                in.errors.push_back(shapeError(f, "date.format", std::string(f.zh) + "不是有效日期", std::string(f.en) + " is not a valid date"));
            else
                p.*std::get<std::optional<Date> Person::*>(f.member) = d;
            break;
        }
        case FieldKind::Choice: {
            std::string key = v.is_string() ? v.get<std::string>() : std::string();
            bool known = std::visit(
                [&](auto m) {
                    using V = std::remove_cvref_t<decltype(p.*m)>;
                    if constexpr (std::is_enum_v<V>) {
                        if (auto t = fromKey<V>(key)) {
                            p.*m = *t;
                            return true;
                        }
                    }
                    return false;
                },
                f.member);
            if (!known)
                in.errors.push_back(shapeError(f, "choice.unknown", "请选择" + std::string(f.zh), "Choose " + std::string(f.en)));
            break;
        }
        default:
            if (!v.is_string())
                in.errors.push_back(shapeError(f, "type", std::string(f.zh) + "应为文字", std::string(f.en) + " must be text"));
            else
                p.*std::get<std::string Person::*>(f.member) = v.get<std::string>();
            break;
        }
    }
    return in;
}

Validated checkPersonJson(const json& j, std::optional<Date> today)
{
    PersonInput in = personFromJson(j);
    Validated v = validate(in.person, today);
    std::vector<Message> errors = std::move(in.errors);
    size_t shapeErrors = errors.size();
    for (auto& e : v.errors) {
        bool dup = std::any_of(errors.begin(), errors.begin() + std::ptrdiff_t(shapeErrors),
                               [&](const Message& s) { return !e.field.empty() && s.field == e.field; });
        if (!dup)
            errors.push_back(std::move(e));
    }
    std::stable_sort(errors.begin(), errors.end(),
                     [](const Message& a, const Message& b) { return formIndex(a.field) < formIndex(b.field); });
    v.errors = std::move(errors);
    return v;
}

json toJson(const Words& w) { return json{{"zh", w.zh}, {"en", w.en}}; }

json displayJson(const Person& p)
{
    json out = json::array();
    for (const FieldSpec& f : fields()) {
        if (!isAsked(f, p) || isBlank(f, p))
            continue;
        out.push_back({{"key", f.key}, {"item", f.item}, {"zh", f.zh}, {"en", f.en}, {"value", toJson(valueWords(f, p, true))}});
    }
    return out;
}

json changesJson(const Person& before, const Person& after)
{
    json out = json::array();
    for (const FieldSpec& f : fields()) {
        if (valueWords(f, before, false) == valueWords(f, after, false))
            continue;
        out.push_back({{"key", f.key},
                       {"zh", f.zh},
                       {"en", f.en},
                       {"from", toJson(valueWords(f, before, true))},
                       {"to", toJson(valueWords(f, after, true))}});
    }
    return out;
}

} // namespace gatepass
