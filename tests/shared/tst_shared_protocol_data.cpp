#include "tst_shared_protocol_data.h"

#include "protocollimits.h"

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;

namespace {

QByteArray json(const char *text)
{
    return QByteArray(text);
}

//! A JSON array of count points.
QByteArray pointList(int count)
{
    QByteArray list = "[";
    for (int i = 0; i < count; ++i)
        list += "1,2,";
    list.chop(1);
    return list + "]";
}

} // namespace

// This table lives outside the test class: moc does not understand the raw string literals it needs.
QList<MalformedCase> malformedCases()
{
    QList<MalformedCase> cases;
    const QByteArray hello =
        R"("protocol":2,"client":"client-0001","secret":"0123456789abcdefghijklmnop","name":"Ann","colour":"#ff0000","room":"r")";
    const auto helloWith = [&](const char *extra) -> QByteArray {
        return "{\"type\":\"hello\"," + hello + extra + "}";
    };
    const QByteArray item = R"("id":"i1","kind":"stroke","colour":"#000000","width":2)";
    const auto opAddWith = [&](const char *points) -> QByteArray {
        return "{\"type\":\"op\",\"kind\":\"add\",\"cseq\":1,\"item\":{" + item + ",\"points\":" + points + "}}";
    };

    cases.append({"empty", QByteArray(), ErrorCode::BadJson, QString()});
    cases.append({"garbage", json("\x01\x02\xff"), ErrorCode::BadJson, QString()});
    cases.append({"truncated", json(R"({"type":"hello")"), ErrorCode::BadJson, QString()});
    cases.append({"array", json("[1,2]"), ErrorCode::BadJson, QString()});
    cases.append({"invalid utf-8", json("{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":1,\"text\":\"\xc3\x28\"}"),
                  ErrorCode::BadJson, QString()});
    cases.append({"deep nesting", QByteArray(100000, '['), ErrorCode::BadJson, QString()});
    cases.append({"no type", json(R"({"kind":"chat"})"), ErrorCode::MissingField, u"type"_s});
    cases.append({"type not string", json(R"({"type":7})"), ErrorCode::WrongType, u"type"_s});
    cases.append({"unknown type", json(R"({"type":"teleport"})"), ErrorCode::UnknownType, u"type"_s});
    cases.append(
        {"old version", json(R"({"type":"hello","protocol":0})"), ErrorCode::UnsupportedVersion, u"protocol"_s});
    cases.append(
        {"future version", json(R"({"type":"hello","protocol":3})"), ErrorCode::UnsupportedVersion, u"protocol"_s});
    cases.append({"missing client", json(R"({"type":"hello","protocol":2})"), ErrorCode::MissingField, u"client"_s});
    cases.append(
        {"short client id", json(R"({"type":"hello","protocol":2,"client":"abc"})"), ErrorCode::BadValue, u"client"_s});
    cases.append({"missing secret", json(R"({"type":"hello","protocol":2,"client":"client-0001","name":"A"})"),
                  ErrorCode::MissingField, u"secret"_s});
    cases.append({"short secret",
                  json(R"({"type":"hello","protocol":2,"client":"client-0001","secret":"0123456789abcdefghijk"})"),
                  ErrorCode::BadValue, u"secret"_s});
    cases.append({"secret with a colon",
                  json(R"({"type":"hello","protocol":2,"client":"client-0001","secret":"0123456789:abcdefghijklm"})"),
                  ErrorCode::BadValue, u"secret"_s});
    cases.append({"secret not a string", json(R"({"type":"hello","protocol":2,"client":"client-0001","secret":7})"),
                  ErrorCode::WrongType, u"secret"_s});
    cases.append({"name too long", helloWith(",\"name\":\"0123456789012345678901234567890123456789X\""),
                  ErrorCode::TooLong, u"name"_s});
    cases.append(
        {"name control chars",
         json(
             R"({"type":"hello","protocol":2,"client":"client-0001","secret":"0123456789abcdefghijklmnop","name":"a\u0007"})"),
         ErrorCode::BadValue, u"name"_s});
    cases.append(
        {"bad colour",
         json(
             R"({"type":"hello","protocol":2,"client":"client-0001","secret":"0123456789abcdefghijklmnop","name":"A","colour":"red"})"),
         ErrorCode::BadValue, u"colour"_s});
    cases.append({"resume wrong type", helloWith(",\"resume\":5"), ErrorCode::WrongType, u"resume"_s});
    cases.append({"resume seq negative", helloWith(",\"resume\":{\"epoch\":\"e\",\"seq\":-1}"), ErrorCode::OutOfRange,
                  u"resume.seq"_s});
    cases.append({"resume seq fraction", helloWith(",\"resume\":{\"epoch\":\"e\",\"seq\":1.5}"), ErrorCode::OutOfRange,
                  u"resume.seq"_s});
    cases.append({"resume seq huge", helloWith(",\"resume\":{\"epoch\":\"e\",\"seq\":1e300}"), ErrorCode::OutOfRange,
                  u"resume.seq"_s});
    cases.append({"password too long",
                  helloWith(QByteArray(",\"password\":\"" + QByteArray(300, 'p') + "\"").constData()),
                  ErrorCode::TooLong, u"password"_s});
    cases.append(
        {"op unknown kind", json(R"({"type":"op","kind":"explode","cseq":1})"), ErrorCode::BadValue, u"kind"_s});
    cases.append({"op cseq zero", json(R"({"type":"op","kind":"clear","cseq":0})"), ErrorCode::OutOfRange, u"cseq"_s});
    cases.append(
        {"op cseq string", json(R"({"type":"op","kind":"clear","cseq":"1"})"), ErrorCode::WrongType, u"cseq"_s});
    cases.append(
        {"op add no item", json(R"({"type":"op","kind":"add","cseq":1})"), ErrorCode::MissingField, u"item"_s});
    cases.append({"points not array", opAddWith("3"), ErrorCode::WrongType, u"item.points"_s});
    cases.append({"points odd", opAddWith("[1,2,3]"), ErrorCode::BadValue, u"item.points"_s});
    cases.append({"point string", opAddWith("[1,\"2\"]"), ErrorCode::WrongType, u"item.points[1]"_s});
    cases.append({"point absurd", opAddWith("[1,2,3,1e12]"), ErrorCode::OutOfRange, u"item.points[3]"_s});
    cases.append({"number overflowing to inf", opAddWith("[1e400,0]"), ErrorCode::BadJson, QString()});
    cases.append({"point NaN literal", opAddWith("[NaN,0]"), ErrorCode::BadJson, QString()});
    cases.append({"stroke empty", opAddWith("[]"), ErrorCode::BadValue, u"item.points"_s});
    // Style fields (docs/PROTOCOL.md, Item): each refused with its field named.
    const auto styled = [](const char *fields) -> QByteArray {
        return QByteArray(R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i","kind":"stroke","colour":"#000000",)")
            + R"("width":4,"points":[1,2,3,4])" + fields + "}}";
    };
    cases.append({"opacity zero", styled(R"(,"opacity":0)"), ErrorCode::OutOfRange, u"item.opacity"_s});
    cases.append({"opacity above one", styled(R"(,"opacity":1.5)"), ErrorCode::OutOfRange, u"item.opacity"_s});
    cases.append({"opacity string", styled(R"(,"opacity":"half")"), ErrorCode::WrongType, u"item.opacity"_s});
    cases.append({"opacity NaN", styled(R"(,"opacity":NaN)"), ErrorCode::BadJson, QString()});
    cases.append({"dash unknown", styled(R"(,"dash":"wavy")"), ErrorCode::BadValue, u"item.dash"_s});
    cases.append({"widths not array", styled(R"(,"widths":3)"), ErrorCode::WrongType, u"item.widths"_s});
    cases.append({"widths one short", styled(R"(,"widths":[2])"), ErrorCode::BadValue, u"item.widths"_s});
    cases.append({"width at a point too wide", styled(R"(,"widths":[2,5])"), ErrorCode::OutOfRange, u"item.widths"_s});
    cases.append({"width at a point zero", styled(R"(,"widths":[2,0])"), ErrorCode::OutOfRange, u"item.widths[1]"_s});
    cases.append(
        {"width at a point string", styled(R"(,"widths":[2,"3"])"), ErrorCode::WrongType, u"item.widths[1]"_s});
    {
        QByteArray widths = R"(,"widths":[1)";
        for (int i = 0; i < 10000; ++i)
            widths += ",1";
        widths += ']';
        cases.append({"too many widths", styled(widths.constData()), ErrorCode::TooManyPoints, u"item.widths"_s});
    }
    cases.append({"heads unknown",
                  json(R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i","kind":"arrow","colour":"#000000",)"
                       R"("width":2,"points":[1,2,3,4],"heads":"sideways"}})"),
                  ErrorCode::BadValue, u"item.heads"_s});
    cases.append({"live widths one short",
                  json(R"({"type":"live","id":"s:1","kind":"stroke","colour":"#000000","width":4,"from":0,)"
                       R"("points":[1,2,3,4],"widths":[1]})"),
                  ErrorCode::BadValue, u"widths"_s});
    cases.append({"live width above the stroke's",
                  json(R"({"type":"live","id":"s:1","kind":"stroke","colour":"#000000","width":4,"from":0,)"
                       R"("points":[1,2],"widths":[9]})"),
                  ErrorCode::OutOfRange, u"widths[0]"_s});
    const QByteArray many = pointList(limits::MaxPointsPerItem + 1);
    cases.append({"too many points", opAddWith(many.constData()), ErrorCode::TooManyPoints, u"item.points"_s});
    cases.append(
        {"line needs two points",
         json(
             R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i","kind":"line","colour":"#000000","width":2,"points":[1,2]}})"),
         ErrorCode::BadValue, u"item.points"_s});
    cases.append(
        {"width zero",
         json(
             R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i","kind":"stroke","colour":"#000000","width":0,"points":[1,2]}})"),
         ErrorCode::OutOfRange, u"item.width"_s});
    cases.append(
        {"item id bad chars",
         json(
             R"({"type":"op","kind":"add","cseq":1,"item":{"id":"a b","kind":"stroke","colour":"#000000","width":1,"points":[1,2]}})"),
         ErrorCode::BadValue, u"item.id"_s});
    cases.append(
        {"text missing",
         json(
             R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i","kind":"text","colour":"#000000","width":12,"points":[1,2]}})"),
         ErrorCode::MissingField, u"item.text"_s});
    cases.append(
        {"remove no ids", json(R"({"type":"op","kind":"remove","cseq":1,"ids":[]})"), ErrorCode::BadValue, u"ids"_s});
    cases.append({"remove id number", json(R"({"type":"op","kind":"remove","cseq":1,"ids":["a",5]})"),
                  ErrorCode::BadValue, u"ids[1]"_s});
    cases.append({"restack without z", json(R"({"type":"op","kind":"restack","cseq":1,"ids":["a"]})"),
                  ErrorCode::MissingField, u"z"_s});
    cases.append({"restack z short", json(R"({"type":"op","kind":"restack","cseq":1,"ids":["a","b"],"z":[1]})"),
                  ErrorCode::BadValue, u"z"_s});
    cases.append({"restack z fraction", json(R"({"type":"op","kind":"restack","cseq":1,"ids":["a"],"z":[0.5]})"),
                  ErrorCode::OutOfRange, u"z[0]"_s});
    cases.append({"restack z past 2^53",
                  json(R"({"type":"op","kind":"restack","cseq":1,"ids":["a"],"z":[-9007199254740992]})"),
                  ErrorCode::OutOfRange, u"z[0]"_s});
    cases.append(
        {"snapshot z fraction",
         json(
             R"({"type":"snapshot","seq":1,"items":[{"id":"i","kind":"text","colour":"#000000","width":12,"points":[0,0],"text":"t","z":-1.5}]})"),
         ErrorCode::OutOfRange, u"items[0].z"_s});
    cases.append({"move missing dy", json(R"({"type":"op","kind":"move","cseq":1,"ids":["a"],"dx":1})"),
                  ErrorCode::MissingField, u"dy"_s});
    cases.append({"move absurd", json(R"({"type":"op","kind":"move","cseq":1,"ids":["a"],"dx":1e9,"dy":0})"),
                  ErrorCode::OutOfRange, u"dx"_s});
    cases.append(
        {"chat empty", json(R"({"type":"op","kind":"chat","cseq":1,"text":"  "})"), ErrorCode::BadValue, u"text"_s});
    cases.append({"chat too long",
                  ("{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":1,\"text\":\""
                   + QByteArray(limits::MaxChatLength + 1, 'x') + "\"}"),
                  ErrorCode::TooLong, u"text"_s});
    cases.append(
        {"chat null", json(R"({"type":"op","kind":"chat","cseq":1,"text":null})"), ErrorCode::WrongType, u"text"_s});
    cases.append({"cursor NaN-ish", json(R"({"type":"cursor","x":"NaN","y":0})"), ErrorCode::WrongType, u"x"_s});
    cases.append({"cursor absurd", json(R"({"type":"cursor","x":0,"y":-1e7})"), ErrorCode::OutOfRange, u"y"_s});
    cases.append({"view without h", json(R"({"type":"view","x":0,"y":0,"w":10})"), ErrorCode::MissingField, u"h"_s});
    cases.append(
        {"view zero width", json(R"({"type":"view","x":0,"y":0,"w":0,"h":10})"), ErrorCode::OutOfRange, u"w"_s});
    cases.append({"view huge", json(R"({"type":"view","x":0,"y":0,"w":10,"h":1e300})"), ErrorCode::OutOfRange, u"h"_s});
    cases.append({"view string", json(R"({"type":"view","x":"1","y":0,"w":10,"h":10})"), ErrorCode::WrongType, u"x"_s});
    cases.append({"laser no points", json(R"({"type":"laser","points":[]})"), ErrorCode::BadValue, u"points"_s});
    cases.append({"laser absent points", json(R"({"type":"laser"})"), ErrorCode::MissingField, u"points"_s});
    cases.append({"laser odd", json(R"({"type":"laser","points":[1,2,3]})"), ErrorCode::BadValue, u"points"_s});
    cases.append({"laser far", json(R"({"type":"laser","points":[1,2e6]})"), ErrorCode::OutOfRange, u"points[1]"_s});
    {
        QByteArray trail = R"({"type":"laser","points":[0,0)";
        for (int i = 1; i <= limits::MaxPointsPerLaser; ++i)
            trail += ',' + QByteArray::number(i) + ",0";
        cases.append({"laser too many points", trail + "]}", ErrorCode::TooManyPoints, u"points"_s});
    }
    cases.append(
        {"summon active string", json(R"({"type":"summon","active":"yes"})"), ErrorCode::WrongType, u"active"_s});
    // Handing a room over: whatever a peer claims is checked before anything trusts it.
    cases.append(
        {"handover bad target", json(R"({"type":"handover","target":"a b"})"), ErrorCode::BadValue, u"target"_s});
    cases.append({"handover no target", json(R"({"type":"handover"})"), ErrorCode::MissingField, u"target"_s});
    cases.append({"replica gap",
                  json(R"({"type":"replica","epoch":"e","head":5,"defaultRole":"editor","ops":[)"
                       R"({"kind":"chat","cseq":1,"seq":3,"client":"client-0001","text":"a"}]})"),
                  ErrorCode::OutOfRange, u"ops[0].seq"_s});
    cases.append({"replica op without client",
                  json(R"({"type":"replica","epoch":"e","head":1,"defaultRole":"editor","ops":[)"
                       R"({"kind":"chat","cseq":1,"seq":1,"text":"a"}]})"),
                  ErrorCode::OutOfRange, u"ops[0].seq"_s});
    cases.append({"replica owner default", json(R"({"type":"replica","epoch":"e","head":1,"defaultRole":"owner"})"),
                  ErrorCode::BadValue, u"defaultRole"_s});
    cases.append({"replica chat not chat",
                  json(R"({"type":"replica","epoch":"e","head":2,"defaultRole":"editor","chat":[)"
                       R"({"kind":"clear","cseq":1,"seq":1}]})"),
                  ErrorCode::BadValue, u"chat[0]"_s});
    cases.append({"replica chat past head",
                  json(R"({"type":"replica","epoch":"e","head":2,"defaultRole":"editor","chat":[)"
                       R"({"kind":"chat","cseq":1,"seq":3,"text":"a"}]})"),
                  ErrorCode::BadValue, u"chat[0]"_s});
    cases.append({"replica bad secret",
                  json(R"({"type":"replica","epoch":"e","head":2,"defaultRole":"editor","clients":[)"
                       R"({"client":"client-0001","secret":"zz"}]})"),
                  ErrorCode::BadValue, u"clients[0].secret"_s});
    cases.append({"replica reset without room",
                  json(R"({"type":"replica","reset":true,"epoch":"e","head":2,"defaultRole":"editor"})"),
                  ErrorCode::MissingField, u"room"_s});
    {
        QByteArray clients = R"({"type":"replica","epoch":"e","head":1,"defaultRole":"editor","clients":[)";
        for (int i = 0; i <= limits::MaxReplicaEntries; ++i)
            clients += (i ? "," : "") + QByteArray(R"({"client":"client-)") + QByteArray::number(10000 + i) + R"("})";
        cases.append({"replica too many clients", clients + "]}", ErrorCode::TooLong, u"clients"_s});
    }
    cases.append({"moved url with a path",
                  json(R"({"type":"moved","client":"client-0001","name":"Bob","url":"wss://h:1/x"})"),
                  ErrorCode::BadValue, u"url"_s});
    cases.append({"moved url of another scheme",
                  json(R"({"type":"moved","client":"client-0001","name":"Bob","url":"https://h:1"})"),
                  ErrorCode::BadValue, u"url"_s});
    cases.append({"moved url without port",
                  json(R"({"type":"moved","client":"client-0001","name":"Bob","url":"wss://h"})"), ErrorCode::BadValue,
                  u"url"_s});
    cases.append({"moved bad fingerprint",
                  json(R"({"type":"moved","client":"client-0001","name":"Bob","url":"wss://h:1","fp":"AB"})"),
                  ErrorCode::BadValue, u"fp"_s});
    cases.append(
        {"standby port too large", json(R"({"type":"standby","port":70000})"), ErrorCode::OutOfRange, u"port"_s});
    cases.append({"replica_ack negative", json(R"({"type":"replica_ack","seq":-1})"), ErrorCode::OutOfRange, u"seq"_s});
    cases.append({"typing not bool", json(R"({"type":"typing","active":1})"), ErrorCode::WrongType, u"active"_s});
    cases.append(
        {"live past max points",
         json(
             R"({"type":"live","id":"s","kind":"stroke","colour":"#000000","width":2,"from":9999,"points":[1,2,3,4]})"),
         ErrorCode::TooManyPoints, u"points"_s});
    cases.append({"presence bad event", json(R"({"type":"presence","event":"teleported","member":{}})"),
                  ErrorCode::BadValue, u"event"_s});
    cases.append({"welcome member not object",
                  json(R"({"type":"welcome","protocol":2,"room":"r","epoch":"e","you":"client-0001","members":[1]})"),
                  ErrorCode::WrongType, u"members[0]"_s});
    cases.append(
        {"snapshot item bad",
         json(
             R"({"type":"snapshot","seq":1,"items":[{"id":"i","kind":"ellipse","colour":"#000","width":2,"points":[0,0,1,1]}]})"),
         ErrorCode::BadValue, u"items[0].colour"_s});
    cases.append({"rooms entry not object", json(R"({"type":"rooms","rooms":["design"]})"), ErrorCode::WrongType,
                  u"rooms[0]"_s});
    cases.append({"rooms bad name", json(R"({"type":"rooms","rooms":[{"name":" ","members":1}]})"), ErrorCode::BadValue,
                  u"rooms[0].name"_s});
    cases.append({"rooms negative members", json(R"({"type":"rooms","rooms":[{"name":"r","members":-1}]})"),
                  ErrorCode::OutOfRange, u"rooms[0].members"_s});
    cases.append({"rooms missing", json(R"({"type":"rooms"})"), ErrorCode::MissingField, u"rooms"_s});
    cases.append(
        {"list_rooms token not string", json(R"({"type":"list_rooms","token":5})"), ErrorCode::WrongType, u"token"_s});
    // Images and their blobs.
    const QByteArray sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const auto image = [&](const QByteArray &fields) -> QByteArray {
        return R"({"type":"op","kind":"add","cseq":1,"item":{"id":"i1","kind":"image",)" + fields + "}}";
    };
    cases.append(
        {"image without blob", image(R"("points":[0,0,10,10],"bytes":5)"), ErrorCode::MissingField, u"item.blob"_s});
    cases.append({"image upper-case hash", image(R"("points":[0,0,10,10],"bytes":5,"blob":")" + sha.toUpper() + "\""),
                  ErrorCode::BadValue, u"item.blob"_s});
    cases.append({"image short hash", image(R"("points":[0,0,10,10],"bytes":5,"blob":"abc")"), ErrorCode::BadValue,
                  u"item.blob"_s});
    cases.append({"image too many bytes", image(R"("points":[0,0,10,10],"bytes":10485761,"blob":")" + sha + "\""),
                  ErrorCode::OutOfRange, u"item.bytes"_s});
    cases.append({"image one point", image(R"("points":[0,0],"bytes":5,"blob":")" + sha + "\""), ErrorCode::BadValue,
                  u"item.points"_s});
    cases.append({"image without area", image(R"("points":[0,0,0,10],"bytes":5,"blob":")" + sha + "\""),
                  ErrorCode::BadValue, u"item.points"_s});
    cases.append({"blob_put bad base64",
                  R"({"type":"blob_put","hash":")" + sha + R"(","size":10,"offset":0,"data":"@@@@"})",
                  ErrorCode::BadValue, u"data"_s});
    cases.append({"blob_put empty data",
                  R"({"type":"blob_put","hash":")" + sha + R"(","size":10,"offset":0,"data":""})", ErrorCode::BadValue,
                  u"data"_s});
    cases.append({"blob_put past its size",
                  R"({"type":"blob_put","hash":")" + sha + R"(","size":4,"offset":2,"data":"AAAA"})",
                  ErrorCode::OutOfRange, u"data"_s});
    cases.append({"blob_put offset at size",
                  R"({"type":"blob_put","hash":")" + sha + R"(","size":4,"offset":4,"data":"AA=="})",
                  ErrorCode::OutOfRange, u"offset"_s});
    cases.append({"blob_put chunk too large",
                  R"({"type":"blob_put","hash":")" + sha + R"(","size":10485760,"offset":0,"data":")"
                      + QByteArray(524289, 'A').toBase64() + "\"}",
                  ErrorCode::TooLong, u"data"_s});
    cases.append(
        {"blob_offer no size", R"({"type":"blob_offer","hash":")" + sha + "\"}", ErrorCode::MissingField, u"size"_s});
    cases.append({"blob_status unknown code",
                  R"({"type":"blob_status","hash":")" + sha + R"(","size":1,"have":0,"code":"nope"})",
                  ErrorCode::BadValue, u"code"_s});
    cases.append({"blob_status have past size", R"({"type":"blob_status","hash":")" + sha + R"(","size":1,"have":2})",
                  ErrorCode::OutOfRange, u"have"_s});
    cases.append(
        {"history limit 0", json(R"({"type":"history","after":3,"limit":0})"), ErrorCode::OutOfRange, u"limit"_s});
    cases.append(
        {"history limit past the page", json(R"({"type":"history","limit":1001})"), ErrorCode::OutOfRange, u"limit"_s});
    cases.append(
        {"history after negative", json(R"({"type":"history","after":-1})"), ErrorCode::OutOfRange, u"after"_s});
    cases.append({"history part fraction", json(R"({"type":"history","part":1.5})"), ErrorCode::OutOfRange, u"part"_s});
    cases.append({"history_page ops out of order",
                  json(R"({"type":"history_page","base":0,"head":9,"last":9,"ops":[)"
                       R"({"kind":"chat","cseq":1,"seq":5,"text":"a"},{"kind":"chat","cseq":2,"seq":4,"text":"b"}]})"),
                  ErrorCode::OutOfRange, u"ops[1].seq"_s});
    cases.append({"history_page op past last",
                  json(R"({"type":"history_page","base":0,"head":9,"last":3,"ops":[)"
                       R"({"kind":"chat","cseq":1,"seq":5,"text":"a"}]})"),
                  ErrorCode::OutOfRange, u"ops[0].seq"_s});
    cases.append({"history_page last past head", json(R"({"type":"history_page","base":0,"head":2,"last":3})"),
                  ErrorCode::OutOfRange, u"last"_s});
    cases.append({"history_page bad op",
                  json(R"({"type":"history_page","base":0,"head":2,"last":2,"ops":[)"
                       R"({"kind":"chat","cseq":1,"seq":2,"text":""}]})"),
                  ErrorCode::BadValue, u"text"_s});
    return cases;
}

QList<std::pair<QByteArray, QByteArray>> jsonEdgeCases()
{
    QList<std::pair<QByteArray, QByteArray>> cases;
    const auto add = [&cases](const char *name, const QByteArray &bytes) { cases.append({QByteArray(name), bytes}); };
    const QByteArray chat = R"({"type":"op","kind":"chat","cseq":1,"text":)";
    add("escapes", chat + R"("a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0041"})");
    add("raw utf-8", chat + "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}");
    add("lone high surrogate", chat + R"("a\ud83d"})");
    add("lone low surrogate", chat + R"("a\ude00"})");
    add("escaped noncharacter", chat + R"("a\uffff"})");
    add("raw noncharacter", chat + "\"a\xef\xbf\xbf\"}");
    add("overlong utf-8", chat + "\"a\xc0\xaf\"}");
    add("raw delete", chat + "\"a\x7f\"}");
    // QJsonDocument keeps an escaped U+FEFF at the start of a string and drops a raw one (as a byte order mark) in a
    // string without escapes; the fast parser used to drop both.
    add("escaped byte order mark", chat + R"("\uFEFF"})");
    add("escaped byte order mark first", chat + R"("\ufeffhi"})");
    add("two escaped byte order marks", chat + R"("\uFEFF\uFEFFhi"})");
    add("raw byte order mark first", chat + "\"\xef\xbb\xbfhi\"}");
    add("raw byte order mark, then an escape", chat + "\"\xef\xbb\xbf\\u0041\"}");
    add("raw byte order mark last", chat + "\"hi\xef\xbb\xbf\"}");
    add("escaped byte order mark in a name", R"({"type":"profile","colour":"#000000","name":"\uFEFFAnn"})");
    add("escaped byte order mark in the type", R"({"type":"\uFEFFtyping","active":true})");
    add("escaped byte order mark in an id", R"({"type":"op","kind":"remove","cseq":1,"ids":["\ufeffclient-0001:1"]})");
    add("raw byte order mark in a key", "{\"\xef\xbb\xbftype\":\"typing\",\"active\":true}");
    add("escaped nul", chat + R"("a\u0000b"})");
    add("duplicate key", R"({"type":"typing","active":true,"active":false})");
    add("duplicate type", R"({"type":"ack","type":"typing","active":true})");
    add("escaped key", R"({"type":"typing","\u0061ctive":true})");
    add("escaped type value", R"({"type":"t\u0079ping","active":true})");
    add("whitespace", " \t\r\n{ \"type\" : \"typing\" ,\n\"active\" :\ttrue } \n");
    add("byte order mark", "\xef\xbb\xbf{\"type\":\"typing\",\"active\":true}");
    add("trailing garbage", R"({"type":"typing","active":true}x)");
    add("two objects", R"({"type":"typing","active":true}{})");
    add("deep unknown field",
        R"({"type":"typing","active":true,"x":)" + QByteArray(100, '[') + QByteArray(100, ']') + "}");
    add("many members", [] {
        QByteArray bytes = R"({"type":"typing","active":true)";
        for (int i = 0; i < 100; ++i)
            bytes += ",\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i);
        // Appended, not concatenated on return: GCC 12 at -O2 warns (falsely) that the builder's size is unset.
        bytes += '}';
        return bytes;
    }());
    const QByteArray cursor = R"({"type":"cursor","x":)";
    const char *numbers[] = {"0",
                             "-0",
                             "-0.0",
                             "1e2",
                             "1E+2",
                             "2.5e-3",
                             "0.1",
                             "-1.5",
                             "10.25",
                             "123456789012345678",
                             "1234567890123456789",
                             "99999999999999999999",
                             "1e400",
                             "1e-400",
                             "5e-324",
                             "2.2250738585072014e-308",
                             "01",
                             "1.",
                             ".5",
                             "+1",
                             "-",
                             "1e",
                             "0x10",
                             "1.7976931348623157e308",
                             "999999.99999999999999",
                             "-1000000",
                             "1000000.0000001",
                             "0.001",
                             "123.25",
                             "-45.5",
                             "1.5e3",
                             "4.35",
                             "0.1e-22",
                             "1e22",
                             "1e23",
                             "12345678901234567.5",
                             "9007199254740993.0",
                             "9007199254740992.5",
                             "0.30000000000000004",
                             "-0.000",
                             "7e-5",
                             "1234567890123456789e-5",
                             "00.5",
                             "0.0000000000000000000000000001",
                             "1e-22",
                             "123456789012345678901234567890.5"};
    for (const char *number : numbers)
        cases.append({QByteArray("number ") + number, cursor + number + R"(,"y":0})"});
    add("true literal", R"({"type":"typing","active":tru})");
    add("null value", R"({"type":"typing","active":null})");
    add("string with newline", chat + "\"a\nb\"}");
    add("unterminated string", chat + "\"abc");
    add("bad escape", chat + R"("a\x"})");
    add("short unicode escape", chat + R"("a\u12"})");
    add("empty object", "{}");
    add("top-level string", R"("type")");
    add("trailing comma", R"({"type":"typing","active":true,})");
    add("missing colon", R"({"type" "typing"})");
    return cases;
}
