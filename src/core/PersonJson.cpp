#include "PersonJson.h"

#include "Fields.h"

namespace gatepass {

nlohmann::json toJson(const Person& p)
{
    nlohmann::json j;
    j["name"] = p.name;
    j["doc_type"] = keyOf(p.docType);
    j["doc_number"] = p.docNumber;
    j["phone"] = p.phone;
    j["person_type"] = keyOf(p.personType);
    j["address"] = p.address;
    if (!p.employer.empty())
        j["employer"] = p.employer;
    j["left_city"] = p.leftCity;
    if (!p.cameFrom.empty())
        j["came_from"] = p.cameFrom;
    if (p.returnDate)
        j["return_date"] = p.returnDate->toString();
    j["epidemic_contact"] = p.epidemicContact;
    j["symptoms"] = p.symptoms;
    j["home_observation"] = p.homeObservation;
    if (p.observationStart)
        j["observation_start"] = p.observationStart->toString();
    return j;
}

namespace {

Message shapeError(const FieldSpec& f, std::string code, std::string zh, std::string en)
{
    return Message{std::move(code), std::move(zh), std::move(en), std::string(f.key)};
}

} // namespace

PersonInput personFromJson(const nlohmann::json& j)
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
        const nlohmann::json& v = *it;
        switch (f.kind) {
        case FieldKind::YesNo: {
            if (!v.is_boolean()) {
                in.errors.push_back(shapeError(f, "type", std::string(f.zh) + "应为是或否", std::string(f.en) + " must be yes or no"));
                break;
            }
            bool b = v.get<bool>();
            if (f.key == "left_city") p.leftCity = b;
            else if (f.key == "epidemic_contact") p.epidemicContact = b;
            else if (f.key == "symptoms") p.symptoms = b;
            else if (f.key == "home_observation") p.homeObservation = b;
            break;
        }
        case FieldKind::Date: {
            auto d = v.is_string() ? Date::parse(v.get<std::string>()) : std::nullopt;
            if (!d) {
                in.errors.push_back(shapeError(f, "date.format", std::string(f.zh) + "不是有效日期", std::string(f.en) + " is not a valid date"));
                break;
            }
            (f.key == "return_date" ? p.returnDate : p.observationStart) = d;
            break;
        }
        case FieldKind::Choice: {
            std::string key = v.is_string() ? v.get<std::string>() : std::string();
            bool known = false;
            if (f.key == "doc_type") {
                if (auto t = docTypeFromKey(key)) p.docType = *t, known = true;
            } else if (auto t = personTypeFromKey(key)) {
                p.personType = *t, known = true;
            }
            if (!known)
                in.errors.push_back(shapeError(f, "choice.unknown", "请选择" + std::string(f.zh), "Choose " + std::string(f.en)));
            break;
        }
        default: {
            if (!v.is_string()) {
                in.errors.push_back(shapeError(f, "type", std::string(f.zh) + "应为文字", std::string(f.en) + " must be text"));
                break;
            }
            std::string s = v.get<std::string>();
            if (f.key == "name") p.name = s;
            else if (f.key == "doc_number") p.docNumber = s;
            else if (f.key == "phone") p.phone = s;
            else if (f.key == "address") p.address = s;
            else if (f.key == "employer") p.employer = s;
            else if (f.key == "came_from") p.cameFrom = s;
            break;
        }
        }
    }
    return in;
}

} // namespace gatepass
