#include "rawmessages.h"

namespace inkroom::test::raw {

QByteArray opWithBadPoint()
{
    return R"({"type":"op","kind":"add","cseq":5,"item":{"id":"x","kind":"stroke","colour":"#000000",)"
           R"("width":2,"points":[0,0,1e9,0]}})";
}

QByteArray helloWithShortClientId()
{
    return R"({"type":"hello","protocol":2,"client":"short","secret":"0123456789abcdefghijklmnop","name":"A",)"
           R"("colour":"#000000","room":"r"})";
}

QByteArray helloVersion2()
{
    return R"({"type":"hello","protocol":3,"client":"client-0001","secret":"0123456789abcdefghijklmnop","name":"A",)"
           R"("colour":"#000000","room":"r"})";
}

QByteArray unknownType()
{
    return R"({"type":"warp","speed":9})";
}

} // namespace inkroom::test::raw
