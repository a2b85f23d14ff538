// The person's shown forms: the building of an address (the office's list of
// persons under home observation shows it instead of the door).
#include <catch2/catch.hpp>

#include "Person.h"

using namespace gatepass;

TEST_CASE("the building of an address is its part before the first separator or through the first building word")
{
    CHECK(addressBuilding("3-2-501") == "3");
    CHECK(addressBuilding("12－3－1101") == "12");          // full-width dashes, as a Chinese IME types them
    CHECK(addressBuilding("幸福里3号楼2单元501") == "幸福里3号楼");
    CHECK(addressBuilding("5栋201") == "5栋");
    CHECK(addressBuilding("7幢-1-302") == "7幢");
    CHECK(addressBuilding("A座 - 1203") == "A座");
    CHECK(addressBuilding("八角路 18 号") == "八角路 18 号"); // neither: the whole address
    CHECK(addressBuilding("-501") == "-501");               // nothing before the separator: the whole address
    CHECK(addressBuilding("") == "");
}
