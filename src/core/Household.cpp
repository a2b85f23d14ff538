#include "Household.h"

#include "RecordJson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace gatepass {

using nlohmann::json;

namespace {

// The file's own version: a later layout says a higher number.
constexpr int kHouseholdFormat = 1;

Message damaged()
{
    return Message{"household.damaged", "本机保存的登记文件已损坏", "The registrations file on this phone is damaged", ""};
}

} // namespace

std::string Household::fileText(const std::vector<PersonRecord>& persons, const Settings& settings)
{
    json list = json::array();
    for (const PersonRecord& r : persons)
        list.push_back(toJson(r));
    return json{{"household", kHouseholdFormat}, {"persons", list}, {"settings", toStoredJson(settings)}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

Result<Household> Household::open(std::optional<std::string_view> stored, Persist persist)
{
    Household h(std::move(persist));
    if (!stored)
        return h;
    json j = json::parse(*stored, nullptr, false);
    if (!j.is_object() || j.value("household", 0) != kHouseholdFormat || !j.contains("persons") || !j["persons"].is_array()
        || !j.contains("settings") || !j["settings"].is_object())
        return damaged();
    for (const json& r : j["persons"]) {
        auto record = personRecordFromJson(r);
        if (!record)
            return damaged();
        h.persons_.push_back(std::move(*record));
    }
    auto s = settingsFromJson(j["settings"], Settings{});
    if (!s)
        return damaged();
    h.settings_ = std::move(*s);
    return h;
}

Result<Household> Household::create(std::vector<PersonRecord> persons, Settings settings, Persist persist)
{
    Household h(std::move(persist));
    if (auto r = h.commit(std::move(persons), std::move(settings)); !r)
        return r.error();
    return h;
}

std::optional<PersonRecord> Household::findPerson(std::string_view docNumber) const
{
    auto it = std::find_if(persons_.begin(), persons_.end(), [&](const PersonRecord& r) { return r.person.docNumber == docNumber; });
    if (it == persons_.end())
        return std::nullopt;
    return *it;
}

Result<Done> Household::savePerson(const PersonRecord& r, std::string_view replaces)
{
    std::vector<PersonRecord> next = persons_;
    if (!replaces.empty() && replaces != r.person.docNumber)
        std::erase_if(next, [&](const PersonRecord& p) { return p.person.docNumber == replaces; });
    PersonRecord saved = r;
    auto it = std::find_if(next.begin(), next.end(), [&](const PersonRecord& p) { return p.person.docNumber == r.person.docNumber; });
    // Keep an earlier verification of the same number unless this record brings its own (as Store::savePerson).
    if (it != next.end() && !saved.verifiedAt && it->verifiedAt) {
        saved.verifiedAt = it->verifiedAt;
        saved.verifiedBy = it->verifiedBy;
    }
    if (!saved.verifiedAt)
        saved.verifiedBy.clear();
    if (it != next.end())
        *it = std::move(saved);
    else
        next.push_back(std::move(saved));
    return commit(std::move(next), settings_);
}

Result<Done> Household::deletePerson(std::string_view docNumber)
{
    std::vector<PersonRecord> next = persons_;
    if (std::erase_if(next, [&](const PersonRecord& p) { return p.person.docNumber == docNumber; }) == 0)
        return Message{"person.not_found", "没有找到此人", "No such person", ""};
    return commit(std::move(next), settings_);
}

Result<Done> Household::saveSettings(const Settings& settings) { return commit(persons_, settings); }

Result<Done> Household::commit(std::vector<PersonRecord> persons, Settings settings)
{
    if (!persist_)
        return Message{"storage.io", "无法写入存储，数据未保存", "Cannot write to storage; nothing was saved", ""};
    if (auto w = persist_(fileText(persons, settings)); !w)
        return w.error();
    persons_ = std::move(persons);
    settings_ = std::move(settings);
    return Done{};
}

namespace {

Message ioError(const std::string& doing)
{
    std::string detail = doing + ": " + std::strerror(errno);
    if (errno == ENOSPC || errno == EDQUOT)
        return {"storage.full", "存储空间已满，数据未保存。请导出批次或清理浏览器空间后重试",
                "Storage is full; nothing was saved. Export a batch or free space, then try again", ""};
    return {"storage.io", "无法写入存储（" + detail + "），数据未保存", "Cannot write to storage (" + detail + "); nothing was saved", ""};
}

} // namespace

Result<Done> writeFileAtomically(const std::string& path, std::string_view bytes)
{
    const std::string tmp = path + ".new";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioError("open");
    for (size_t at = 0; at < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            Message m = ioError("write");
            ::close(fd);
            ::unlink(tmp.c_str());
            return m;
        }
        at += size_t(n);
    }
    if (::fsync(fd) != 0) {
        Message m = ioError("fsync");
        ::close(fd);
        ::unlink(tmp.c_str());
        return m;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        Message m = ioError("rename");
        ::unlink(tmp.c_str());
        return m;
    }
    // The rename itself is durable once the folder is.
    std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + (path.rfind('/') == 0));
    if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        (void)::fsync(d);
        ::close(d);
    }
    return Done{};
}

} // namespace gatepass
