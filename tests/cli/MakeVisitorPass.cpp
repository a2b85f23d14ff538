// Test helper: prints a visitor pass (VisitorPass.h, sealed in the GP2 frame)
// as a resident's phone makes it, sealed to the community key in DIR
// (`community init`'s), for a host and visitor of its own, valid today
// (UTC+8), single use. Usage: make_visitor_pass DIR
#include "SealedBox.h"
#include "gatepass.h"

#include <fstream>
#include <iostream>
#include <string>

using namespace gatepass;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: make_visitor_pass DIR\n";
        return 2;
    }
    std::string pub;
    std::getline(std::ifstream(std::string(argv[1]) + "/community.pub"), pub);
    auto store = Store::open(":memory:");
    if (!store || pub.empty()) {
        std::cerr << "no store, or no key in " << argv[1] << "\n";
        return 1;
    }
    Api api(std::move(*store), crypto::passCrypto());
    const nlohmann::json host{{"name", "王珺"}, {"doc_type", "resident_id"}, {"doc_number", "11010519491231002X"},
                              {"phone", "13800138000"}, {"person_type", "resident"}, {"address", "3-2-501"},
                              {"left_city", false}, {"epidemic_contact", false}, {"symptoms", false}, {"home_observation", false}};
    const std::string today = Clock::system().today().toString();
    for (const nlohmann::json& req : {
             nlohmann::json{{"op", "settings.set"}, {"settings", {{"community_public_key", pub}}}},
             nlohmann::json{{"op", "person.save"}, {"person", host}},
         }) {
        auto r = nlohmann::json::parse(api.call(req.dump()));
        if (r["ok"] != true) {
            std::cerr << r.dump() << "\n";
            return 1;
        }
    }
    auto r = nlohmann::json::parse(api.call(nlohmann::json{{"op", "visitor.pass"}, {"doc_number", "11010519491231002X"},
                                                           {"visitor", {{"name", "李访客"}, {"phone", "13912345678"}}},
                                                           {"from", today}, {"uses", "single"}}.dump()));
    if (r["ok"] != true) {
        std::cerr << r.dump() << "\n";
        return 1;
    }
    std::cout << r["text"].get<std::string>() << "\n";
    return 0;
}
