// office_bench: what the office benchmark compares the service against.
//   bulk    --db TARGET FILE...   the batches' rows loaded the database's own
//                                 fastest way: SQLite one transaction of prepared
//                                 inserts; PostgreSQL COPY. Parsing is timed apart.
//   synth   --db TARGET --entries N --persons P   the same bulk path with made-up rows
//                                 over the last 28 days (for the query timings)
//   queries --db TARGET --runs R  the product's reads (OfficeDb: the dashboard's overview, search,
//                                 one person, the upload reply, the CSV export's readers), p50/p95 ms
// TARGET is an office database (a SQLite file or postgresql://…), created with
// the office schema by OfficeDb::open. Prints one JSON object.
// The bulk SQL here is the benchmark's comparison, not the product's: the
// office's own SQL lives in src/office/*OfficeDb.cpp, and `queries` times it.
#include "OfficeDb.h"
#include "RecordJson.h"
#include "SealedBox.h"
#include "Store.h"
#include "gatepass.h"

#include <CLI/CLI.hpp>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>

using namespace gatepass;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int64_t kDay = 86'400'000;

double secondsSince(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

bool isPostgres(const std::string& t) { return t.starts_with("postgresql://") || t.starts_with("postgres://"); }

struct Rows {
    std::vector<PersonRecord> persons;
    std::vector<Entry> entries;
};

std::string idNumber(int k)
{
    char first17[18];
    std::snprintf(first17, sizeof first17, "110105%04d%02d%02d%03d", 1950 + k / 900 / 300, 1 + k / 900 / 28 % 12, 1 + k / 900 % 28,
                  100 + k % 900);
    return std::string(first17) + idCheckCharacter(first17);
}

Rows synthetic(int entries, int persons, int64_t now)
{
    Rows r;
    std::mt19937_64 rng(42);
    static const PersonType kTypes[] = {PersonType::Resident, PersonType::Resident, PersonType::Resident, PersonType::Tenant,
                                        PersonType::Visitor};
    for (int k = 0; k < persons; ++k) {
        json j{{"name", "测试" + std::to_string(k)}, {"doc_type", "resident_id"}, {"doc_number", idNumber(k)}, {"phone", "13800138000"},
               {"person_type", std::string(keyOf(kTypes[k % 5]))}, {"address", "1-1-101"}, {"left_city", false},
               {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", k % 50 == 0}};
        r.persons.push_back(PersonRecord{personFromJson(j).person, now - int64_t(rng() % (28 * kDay)), std::nullopt, ""});
    }
    for (int i = 0; i < entries; ++i) {
        const Person& p = r.persons[rng() % r.persons.size()].person;
        Entry e;
        e.id = newEntryId();
        e.docNumber = p.docNumber;
        e.name = p.name;
        e.personType = p.personType;
        e.atMs = now - int64_t(rng() % (28 * kDay));
        e.direction = rng() % 2 ? Direction::In : Direction::Out;
        e.temperature = 36.0 + double(rng() % 20) / 10;
        e.gate = "门" + std::to_string(rng() % 8);
        e.staff = "测试员";
        r.entries.push_back(std::move(e));
    }
    return r;
}

// SQLite: the Store's schema, one transaction, one prepared statement per table reused for every row.
double loadSqlite(const std::string& path, const Rows& rows)
{
    // OfficeDb::open made the schema; the rows go in beside the Store, as a
    // bulk tool would write the same file.
    auto opened = Database::open(path, nullptr);
    if (!opened)
        throw std::runtime_error(opened.error().en);
    const Database& db = *opened;
    auto t0 = Steady::now();
    Transaction t(db);
    auto p = db.prepare("INSERT OR REPLACE INTO persons(doc_number, name, phone, person_type, record, updated_at, verified_at, verified_by, pending) "
                        "VALUES(?,?,?,?,?,?,?,?,0)");
    for (const auto& r : rows.persons) {
        p.bind(1, r.person.docNumber).bind(2, r.person.name).bind(3, r.person.phone).bind(4, keyOf(r.person.personType));
        p.bind(5, toJson(r.person).dump()).bind(6, r.updatedAt).bind(7, r.verifiedAt).bind(8, r.verifiedBy).step();
        p.reset();
    }
    auto e = db.prepare("INSERT OR IGNORE INTO entries(id, doc_number, name, person_type, at, direction, temperature, verdict, reasons, gate, "
                        "staff, batch_seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,0)");
    for (const auto& x : rows.entries) {
        e.bind(1, x.id).bind(2, x.docNumber).bind(3, x.name).bind(4, keyOf(x.personType)).bind(5, x.atMs).bind(6, keyOf(x.direction));
        e.bind(7, x.temperature).bind(8, keyOf(x.verdict)).bind(9, toJson(x.reasons).dump()).bind(10, x.gate).bind(11, x.staff).step();
        e.reset();
    }
    if (!t.commit())
        throw std::runtime_error("commit failed");
    return secondsSince(t0);
}

PGconn* connect(const std::string& uri)
{
    PGconn* c = PQconnectdb(uri.c_str());
    if (PQstatus(c) != CONNECTION_OK)
        throw std::runtime_error(PQerrorMessage(c));
    return c;
}

void exec(PGconn* c, const char* sql)
{
    PGresult* r = PQexec(c, sql);
    auto s = PQresultStatus(r);
    PQclear(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_COPY_IN)
        throw std::runtime_error(PQerrorMessage(c));
}

void copy(PGconn* c, const char* sql, const std::string& data)
{
    exec(c, sql);
    if (PQputCopyData(c, data.data(), int(data.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
        throw std::runtime_error(PQerrorMessage(c));
    PGresult* r = PQgetResult(c);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    while ((r = PQgetResult(c)))
        PQclear(r);
    if (!ok)
        throw std::runtime_error(PQerrorMessage(c));
}

// PostgreSQL: COPY into the office tables in one transaction. The rows hold no
// tab, newline or backslash (checked by the generators), so text format needs no escaping.
double loadPostgres(const std::string& uri, const Rows& rows, const std::string& community)
{
    PGconn* c = connect(uri);
    std::string persons, entries;
    for (const auto& r : rows.persons)
        persons += community + "\t" + r.person.docNumber + "\t" + r.person.name + "\t" + r.person.phone + "\t" +
                   std::string(keyOf(r.person.personType)) + "\t" + toJson(r.person).dump() + "\t" + std::to_string(r.updatedAt) + "\t" +
                   (r.verifiedAt ? std::to_string(*r.verifiedAt) : "\\N") + "\t" + (r.verifiedAt ? r.verifiedBy : "\\N") + "\n";
    for (const auto& e : rows.entries)
        entries += community + "\t" + e.id + "\t" + e.docNumber + "\t" + e.name + "\t" + std::string(keyOf(e.personType)) + "\t" +
                   std::to_string(e.atMs) + "\t" + std::string(keyOf(e.direction)) + "\t" +
                   (e.temperature ? std::to_string(*e.temperature) : "\\N") + "\t" + std::string(keyOf(e.verdict)) + "\t" +
                   toJson(e.reasons).dump() + "\t" + e.gate + "\t" + e.staff + "\n";
    auto t0 = Steady::now();
    exec(c, "BEGIN");
    copy(c, "COPY persons(community, doc_number, name, phone, person_type, record, updated_at, verified_at, verified_by) FROM STDIN", persons);
    copy(c, "COPY entries(community, id, doc_number, name, person_type, at, direction, temperature, verdict, reasons, gate, staff) FROM STDIN",
         entries);
    exec(c, "COMMIT");
    double s = secondsSince(t0);
    exec(c, "ANALYZE persons");
    exec(c, "ANALYZE entries");
    PQfinish(c);
    return s;
}

struct Timing {
    double p50 = 0, p95 = 0;
};

Timing percentiles(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    return {at(0.5), at(0.95)};
}

// The product's own reads, through OfficeDb as the dashboard and the upload
// reply call them: what a worker waits for on each screen.
json queries(const std::string& target, int runs, const std::string& community, int64_t now)
{
    auto office = office::OfficeDb::open(target);
    if (!office)
        throw std::runtime_error(office.error().en);
    office::OfficeDb& db = **office;
    const Clock clock{now};
    auto all = db.persons(community); // also the persons export's reader, timed below
    if (!all || all->empty())
        throw std::runtime_error("no persons to sample");
    std::mt19937 rng(7);
    auto sampled = [&] { return (*all)[rng() % all->size()].person; };
    json out;
    // `read` runs once per timing and answers how many rows or what count it
    // saw, so the output shows each read did its work.
    auto time = [&](const char* name, int n, const std::function<int64_t()>& read) {
        std::vector<double> ms;
        int64_t seen = 0;
        for (int i = 0; i < n; ++i) {
            auto t0 = Steady::now();
            seen = read();
            ms.push_back(secondsSince(t0) * 1000);
        }
        Timing t = percentiles(ms);
        out[name] = {{"p50_ms", t.p50}, {"p95_ms", t.p95}, {"runs", n}, {"rows", seen}};
    };
    auto must = [](auto r) {
        if (!r)
            throw std::runtime_error(r.error().en);
        return std::move(*r);
    };
    time("overview", runs, [&] {
        auto o = must(db.overview(community, clock));
        return o.entriesByDay.back();
    });
    time("search_by_name", runs, [&] {
        return int64_t(must(db.searchPersons(community, sampled().name, 50)).size());
    });
    time("search_by_digits", runs, [&] {
        const std::string doc = sampled().docNumber;
        return int64_t(must(db.searchPersons(community, doc.substr(doc.size() - 6), 50)).size());
    });
    time("find_person", runs, [&] { return int64_t(db.findPerson(community, sampled().docNumber).has_value()); });
    time("upload_reply_feed", runs, [&] {
        auto f = must(db.feed(community));
        return int64_t(f.watchList.size() + f.revocations.size() + f.roster.size());
    });
    const int few = std::max(1, std::min(runs, 3)); // whole-table reads: a few runs
    time("export_persons", few, [&] { return int64_t(must(db.persons(community)).size()); });
    time("export_entries", few, [&] { return int64_t(must(db.entries(community)).size()); });
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"office_bench"};
    app.require_subcommand(1);
    std::string target, community = "C001";
    std::vector<std::string> files;
    int entries = 0, persons = 0, runs = 50;
    auto* bulk = app.add_subcommand("bulk");
    bulk->add_option("--db", target)->required();
    bulk->add_option("FILES", files)->required();
    std::string keyDir; // sealed batches (format 3) open with the community's key folder
    bulk->add_option("--key", keyDir);
    auto* synth = app.add_subcommand("synth");
    synth->add_option("--db", target)->required();
    synth->add_option("--entries", entries)->required();
    synth->add_option("--persons", persons)->required();
    auto* q = app.add_subcommand("queries");
    q->add_option("--db", target)->required();
    q->add_option("--runs", runs);
    for (auto* c : {bulk, synth, q})
        c->add_option("--community", community);
    CLI11_PARSE(app, argc, argv);
    const int64_t now = Clock::system().unixMs;
    try {
        if (auto db = office::OfficeDb::open(target); !db) // the office schema
            throw std::runtime_error(db.error().en);
        if (*q) {
            std::cout << json{{"queries", queries(target, runs, community, now)}}.dump() << "\n";
            return 0;
        }
        Rows rows;
        double parseSeconds = 0;
        if (*bulk) {
            BatchKeys keys{{}, crypto::passCrypto()};
            if (!keyDir.empty()) {
                auto held = office::batchOpeningKeys(keyDir);
                if (!held)
                    throw std::runtime_error(held.error().en);
                keys.keys = std::move(*held);
            }
            auto t0 = Steady::now();
            for (const auto& f : files) {
                std::ifstream in(f, std::ios::binary);
                std::string text((std::istreambuf_iterator<char>(in)), {});
                auto p = parseBatch(text, keys);
                if (!p)
                    throw std::runtime_error(f + ": " + p.error().en);
                for (auto& r : p->persons)
                    rows.persons.push_back(std::move(r));
                for (auto& e : p->entries)
                    rows.entries.push_back(std::move(e));
            }
            parseSeconds = secondsSince(t0);
        } else {
            rows = synthetic(entries, persons, now);
        }
        double seconds = isPostgres(target) ? loadPostgres(target, rows, community) : loadSqlite(target, rows);
        std::cout << json{{"entries", rows.entries.size()}, {"persons", rows.persons.size()}, {"load_seconds", seconds},
                          {"parse_seconds", parseSeconds}, {"entries_per_second", double(rows.entries.size()) / seconds}}
                         .dump()
                  << "\n";
    } catch (const std::exception& e) {
        std::cerr << "office_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
