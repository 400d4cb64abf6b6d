/* What the document states and where shared/ says it, checked both ways:
 *  - the title's and hello's protocol version: proto::ProtocolVersion;
 *  - Messages: a row per INKROOM_MESSAGE_TYPES entry and no other, dir = proto::directionOf(), the fields (and the
 *    Op, Item and Member tables) = the keys encode() writes for a message with every field set; its json examples
 *    decode;
 *  - Errors: a row per INKROOM_ERROR_CODES entry and no other, "transient" exactly where proto::isTransient();
 *  - Close codes: a row per proto::CloseCode value (read from closecodes.h) and no other (but the allow-list),
 *    "yes"/"no" = proto::isRetryable();
 *  - every number in the Value types, Item, Op, Member, Messages, Errors, Limits and Links tables is the constant
 *    expectedNumbers() names, every constant of protocollimits.h is one of them, and the default port is
 *    limits::DefaultPort in Transport too.
 * The server's defaults ("Timing, limits and protection") are the server's: not checked here. */
#include "protocoldoc.h"

#include "closecodes.h"
#include "messagetypes.h"
#include "protocol.h"
#include "protocollimits.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::protocoldoc {

namespace {

const QString kDoc = u"docs/PROTOCOL.md"_s;

// ------------------------------------------------------------------------------------------------ what shared/ says

//! The lists themselves, expanded here as protocol.cpp expands them: the test compares the document with them.
struct WireType
{
    proto::MessageType type;
    QLatin1StringView wire;
};
constexpr WireType kMessageTypes[] = {
#define INKROOM_X(name, wire) {proto::MessageType::name, QLatin1StringView(wire)},
    INKROOM_MESSAGE_TYPES(INKROOM_X)
#undef INKROOM_X
};

struct WireCode
{
    proto::ErrorCode code;
    QLatin1StringView wire;
};
constexpr WireCode kErrorCodes[] = {
#define INKROOM_X(name, wire, text) {proto::ErrorCode::name, QLatin1StringView(wire)},
    INKROOM_ERROR_CODES(INKROOM_X)
#undef INKROOM_X
};

//! A number the document must state, and where shared/ says it (empty: a plain fact of the rule, like "at least 1").
struct Expected
{
    double value = 0;
    QString name;
};
#define INKROOM_LIMIT(constant)                                                                                        \
    Expected                                                                                                           \
    {                                                                                                                  \
        double(limits::constant), QStringLiteral("limits::" #constant)                                                 \
    }
#define INKROOM_NEGATIVE_LIMIT(constant)                                                                               \
    Expected                                                                                                           \
    {                                                                                                                  \
        -double(limits::constant), QStringLiteral("-limits::" #constant)                                               \
    }

//! The numbers one row of a table states, in the order it states them (its first cell names the row).
struct RowNumbers
{
    QString table;
    QString row;
    QList<Expected> numbers;
};

/** Every number in the tables checked below, by row: a row not listed here may state no number, and a number the
 *  document adds or drops fails the test until this list says which constant it is. */
QList<RowNumbers> expectedNumbers()
{
    const Expected one {1, {}};
    return {
        {u"Value types"_s, u"sequence"_s, {{0, {}}, INKROOM_LIMIT(MaxSequence)}},
        {u"Value types"_s, u"client id"_s, {INKROOM_LIMIT(MinClientIdLength), INKROOM_LIMIT(MaxClientIdLength)}},
        {u"Value types"_s, u"secret"_s, {INKROOM_LIMIT(MinSecretLength), INKROOM_LIMIT(MaxSecretLength)}},
        // "1 to 100 characters ...; <client id>:<n> (n a whole number from 1 ...)"
        {u"Value types"_s, u"item id"_s, {one, INKROOM_LIMIT(MaxItemIdLength), one}},
        {u"Value types"_s, u"epoch"_s, {one, INKROOM_LIMIT(MaxEpochLength)}},
        {u"Value types"_s, u"name"_s, {one, INKROOM_LIMIT(MaxNameLength)}},
        {u"Value types"_s, u"room"_s, {one, INKROOM_LIMIT(MaxRoomLength)}},
        {u"Value types"_s, u"blob hash"_s, {INKROOM_LIMIT(BlobHashLength)}},
        {u"Value types"_s, u"stacking order"_s, {INKROOM_NEGATIVE_LIMIT(MaxStackOrder), INKROOM_LIMIT(MaxStackOrder)}},
        {u"Value types"_s, u"coordinate"_s, {INKROOM_NEGATIVE_LIMIT(MaxCoordinate), INKROOM_LIMIT(MaxCoordinate)}},
        // An image's width may be left out: 1.
        {u"Item"_s, u"`width`"_s, {INKROOM_LIMIT(MinWidth), INKROOM_LIMIT(MaxWidth), one}},
        {u"Item"_s, u"`bytes`"_s, {one, INKROOM_LIMIT(MaxBlobBytes)}},
        // A stroke 1 to MaxPointsPerItem, a line or arrow 2, a rectangle or ellipse 2, a text 1 (validateItem()).
        {u"Item"_s, u"`points`"_s, {one, INKROOM_LIMIT(MaxPointsPerItem), {2, {}}, {2, {}}, one}},
        {u"Item"_s, u"`text`"_s, {INKROOM_LIMIT(MaxTextItemLength)}},
        // 0.1 to 1, default 1.
        {u"Item"_s, u"`opacity`"_s, {INKROOM_LIMIT(MinOpacity), INKROOM_LIMIT(MaxOpacity), one}},
        {u"Item"_s, u"`widths`"_s, {INKROOM_LIMIT(MinWidth)}},
        {u"Op"_s, u"`cseq`"_s, {one}},
        {u"Op"_s, u"`ids`"_s, {one, INKROOM_LIMIT(MaxIdsPerOp)}},
        {u"Op"_s, u"`dx`, `dy`"_s, {INKROOM_NEGATIVE_LIMIT(MaxMoveDelta), INKROOM_LIMIT(MaxMoveDelta)}},
        {u"Op"_s, u"`text`"_s, {one, INKROOM_LIMIT(MaxChatLength)}},
        {u"Op"_s, u"`count`"_s, {one, INKROOM_LIMIT(MaxRollbackOps)}},
        {u"Op"_s, u"`items`"_s, {INKROOM_LIMIT(MaxIdsPerOp)}},
        {u"Op"_s, u"`undone`"_s, {{0, {}}, INKROOM_LIMIT(MaxRollbackOps)}},
        {u"Messages"_s,
         u"`hello`"_s,
         {{double(proto::ProtocolVersion), u"proto::ProtocolVersion"_s},
          INKROOM_LIMIT(MaxPasswordLength),
          INKROOM_LIMIT(MaxTokenLength)}},
        {u"Messages"_s,
         u"`welcome`"_s,
         {INKROOM_LIMIT(MaxMembersPerWelcome),
          INKROOM_LIMIT(MaxRate),
          {proto::Welcome {}.rate, u"proto::Welcome{}.rate"_s},
          INKROOM_LIMIT(MaxBurst),
          {double(proto::Welcome {}.burst), u"proto::Welcome{}.burst"_s},
          INKROOM_LIMIT(MaxOpByteRate),
          {proto::Welcome {}.opByteRate, u"proto::Welcome{}.opByteRate"_s},
          INKROOM_LIMIT(MaxOpByteBurst),
          {double(proto::Welcome {}.opByteBurst), u"proto::Welcome{}.opByteBurst"_s}}},
        {u"Messages"_s, u"`snapshot`"_s, {INKROOM_LIMIT(MaxItemsPerSnapshotChunk)}},
        {u"Messages"_s, u"`ack`"_s, {{double(proto::Ack {}.time), u"proto::Ack{}.time"_s}}},
        {u"Messages"_s,
         u"`live`"_s,
         {{0, {}}, INKROOM_LIMIT(MaxPointsPerItem), INKROOM_LIMIT(MaxPointsPerLive), INKROOM_LIMIT(MinWidth)}},
        {u"Messages"_s, u"`error`"_s, {INKROOM_LIMIT(MaxErrorMessageLength)}},
        {u"Messages"_s, u"`view`"_s, {INKROOM_LIMIT(MinViewSize), INKROOM_LIMIT(MaxViewSize)}},
        {u"Messages"_s, u"`laser`"_s, {INKROOM_LIMIT(MaxPointsPerLaser), one}},
        {u"Messages"_s, u"`list_rooms`"_s, {INKROOM_LIMIT(MaxTokenLength)}},
        {u"Messages"_s, u"`rooms`"_s, {INKROOM_LIMIT(MaxRoomsListed), INKROOM_LIMIT(MaxMembersPerWelcome)}},
        {u"Messages"_s, u"`blob_offer`"_s, {one}},
        {u"Messages"_s, u"`blob_put`"_s, {one, INKROOM_LIMIT(MaxBlobChunkBytes)}},
        {u"Messages"_s, u"`blob_status`"_s, {{0, {}}, INKROOM_LIMIT(MaxErrorMessageLength)}},
        {u"Messages"_s, u"`blob_get`"_s, {{0, {}}}},
        {u"Messages"_s, u"`blob_data`"_s, {one, INKROOM_LIMIT(MaxBlobChunkBytes)}},
        {u"Errors"_s, u"`blob_too_large`"_s, {INKROOM_LIMIT(MaxBlobBytes)}},
        {u"Limits"_s, u"an image's bytes"_s, {INKROOM_LIMIT(MaxBlobBytes)}},
        {u"Limits"_s, u"one chunk of an image (`blob_put`, `blob_data`)"_s, {INKROOM_LIMIT(MaxBlobChunkBytes)}},
        {u"Limits"_s, u"an image's pixels"_s, {INKROOM_LIMIT(MaxImageSide), INKROOM_LIMIT(MaxImagePixels)}},
        // part below MaxHistoryParts, default 0; limit from 1 to MaxOpsPerHistoryPage, default that.
        {u"Messages"_s,
         u"`history`"_s,
         {INKROOM_LIMIT(MaxHistoryParts),
          {0, {}},
          one,
          INKROOM_LIMIT(MaxOpsPerHistoryPage),
          INKROOM_LIMIT(MaxOpsPerHistoryPage)}},
        // parts up to MaxHistoryParts (default 0), part default 0, items and ops, last default 0, message.
        {u"Messages"_s,
         u"`history_page`"_s,
         {INKROOM_LIMIT(MaxHistoryParts),
          {0, {}},
          {0, {}},
          INKROOM_LIMIT(MaxOpsPerHistoryPage),
          INKROOM_LIMIT(MaxOpsPerHistoryPage),
          {0, {}},
          INKROOM_LIMIT(MaxErrorMessageLength)}},
        {u"Errors"_s, u"`cseq_ahead`"_s, {INKROOM_LIMIT(MaxCseqAhead)}},
        // Fatal when a connection keeps sending while its join is decided (the rate limit's close), or when too many
        // password checks are waiting (Busy).
        {u"Errors"_s,
         u"`server_busy`"_s,
         {{double(proto::CloseCode::Policy), u"proto::CloseCode::Policy"_s},
          {double(proto::CloseCode::Busy), u"proto::CloseCode::Busy"_s}}},
        {u"Limits"_s, u"a message from a client"_s, {INKROOM_LIMIT(MaxClientMessageBytes)}},
        {u"Limits"_s,
         u"a message from the server"_s,
         {INKROOM_LIMIT(MaxServerMessageBytes), INKROOM_LIMIT(MaxItemsPerSnapshotChunk)}},
        {u"Limits"_s, u"points in an item"_s, {INKROOM_LIMIT(MaxPointsPerItem)}},
        {u"Limits"_s,
         u"points in one `live` message"_s,
         {INKROOM_LIMIT(MaxPointsPerLive), INKROOM_LIMIT(MaxPointsPerItem)}},
        {u"Limits"_s, u"item ids in one op"_s, {INKROOM_LIMIT(MaxIdsPerOp)}},
        {u"Limits"_s, u"points in one `laser` message"_s, {INKROOM_LIMIT(MaxPointsPerLaser)}},
        {u"Limits"_s, u"a `view`'s width and height"_s, {INKROOM_LIMIT(MinViewSize), INKROOM_LIMIT(MaxViewSize)}},
        {u"Limits"_s, u"members listed in a `welcome`"_s, {INKROOM_LIMIT(MaxMembersPerWelcome)}},
        {u"Limits"_s, u"rooms listed in a `rooms` answer"_s, {INKROOM_LIMIT(MaxRoomsListed)}},
        {u"Limits"_s,
         u"display name / room / password / token"_s,
         {INKROOM_LIMIT(MaxNameLength), INKROOM_LIMIT(MaxRoomLength), INKROOM_LIMIT(MaxPasswordLength),
          INKROOM_LIMIT(MaxTokenLength)}},
        {u"Limits"_s,
         u"client id / secret"_s,
         {INKROOM_LIMIT(MinClientIdLength), INKROOM_LIMIT(MaxClientIdLength), INKROOM_LIMIT(MinSecretLength),
          INKROOM_LIMIT(MaxSecretLength)}},
        {u"Limits"_s, u"a `cseq` ahead of the highest committed for its client"_s, {INKROOM_LIMIT(MaxCseqAhead)}},
        {u"Limits"_s, u"chat message / text item"_s, {INKROOM_LIMIT(MaxChatLength), INKROOM_LIMIT(MaxTextItemLength)}},
        {u"Limits"_s, u"coordinates"_s, {INKROOM_LIMIT(MaxCoordinate)}}, // "±1,000,000"
        {u"Limits"_s, u"board ops one `rollback` undoes"_s, {INKROOM_LIMIT(MaxRollbackOps)}},
        {u"Limits"_s, u"ops in one `history_page`, items in one of its parts"_s, {INKROOM_LIMIT(MaxOpsPerHistoryPage)}},
        {u"Limits"_s, u"parts of a history's starting board"_s, {INKROOM_LIMIT(MaxHistoryParts)}},
        {u"Errors"_s, u"`removed`"_s, {{double(proto::CloseCode::Removed), u"proto::CloseCode::Removed"_s}}},
        {u"Errors"_s, u"`banned`"_s, {{double(proto::CloseCode::Banned), u"proto::CloseCode::Banned"_s}}},
        {u"Errors"_s, u"`room_closed`"_s, {{double(proto::CloseCode::RoomClosed), u"proto::CloseCode::RoomClosed"_s}}},
        {u"Errors"_s, u"`room_moved`"_s, {{double(proto::CloseCode::RoomMoved), u"proto::CloseCode::RoomMoved"_s}}},
        {u"Errors"_s, u"`not_serving`"_s, {{double(proto::CloseCode::NotServing), u"proto::CloseCode::NotServing"_s}}},
        {u"Messages"_s,
         u"`replica`"_s,
         {{64, u"the largest salt and hash"_s},
          one,
          INKROOM_LIMIT(MaxItemsPerSnapshotChunk),
          INKROOM_LIMIT(MaxReplicaEntries),
          INKROOM_LIMIT(MaxReplicaEntries),
          {0, {}},
          INKROOM_LIMIT(MaxReplicaEntries)}},
        {u"Messages"_s, u"`standby`"_s, {INKROOM_LIMIT(MaxUrlLength), {65535, u"the largest port"_s}}},
        {u"Messages"_s, u"`moved`"_s, {{double(proto::CloseCode::RoomMoved), u"proto::CloseCode::RoomMoved"_s}}},
        {u"Limits"_s, u"stroke width and font size"_s, {INKROOM_LIMIT(MinWidth), INKROOM_LIMIT(MaxWidth)}},
        {u"Limits"_s, u"an item's opacity"_s, {INKROOM_LIMIT(MinOpacity), INKROOM_LIMIT(MaxOpacity)}},
        {u"Links"_s, u"`inkroom://HOST:PORT/ROOM`"_s, {INKROOM_LIMIT(DefaultPort)}},
    };
}

#undef INKROOM_LIMIT
#undef INKROOM_NEGATIVE_LIMIT

//! One message of every type, every optional field set: the fields encode() writes are the fields it has.
QList<proto::Message> fullMessages()
{
    using namespace proto;
    const QString client = u"client-0001"_s;
    const Member member {client, u"Ann"_s, 0xff00ff00, true, Role::Viewer};
    Item text;
    text.id = u"client-0001:1"_s;
    text.kind = ItemKind::Text;
    text.fill = 0x80ffffff;
    text.points = {{1, 2}};
    text.text = u"hi"_s;
    text.z = 5;
    // The style fields: a stroke drawn with pressure, and a line with every other one.
    Item pen;
    pen.id = u"client-0001:3"_s;
    pen.points = {{1, 2}, {3, 4}};
    pen.widths = {1, 2};
    Item line;
    line.id = u"client-0001:4"_s;
    line.kind = ItemKind::Line;
    line.points = {{1, 2}, {3, 4}};
    line.opacity = 0.5;
    line.dash = Dash::Dotted;
    line.heads = Heads::Both;
    Live live {client, u"client-0001:2"_s, ItemKind::Stroke, 0xff000000, 2, 1, {{1, 2}}, true, {1}, 0xff00ff00,
               0.5,    Dash::Dashed,       Heads::End};
    QList<Message> messages {
        Hello {ProtocolVersion, client, QString(22, u'a'), u"Ann"_s, 0xff000000, u"room"_s, u"pw"_s, u"tok"_s,
               ResumePoint {u"epoch"_s, 1}},
        Welcome {
            ProtocolVersion, u"room"_s, u"epoch"_s, client, {member}, 1, 2, true, true, 200, 400, Role::Viewer, true},
        Snapshot {3, {text, pen, line}},
        Synced {3},
        Ack {1, 2, true, 5},
        Reject {1, ErrorCode::CseqReused, u"used"_s, true, quint64(1)},
        Presence {PresenceEvent::Joined, member},
        Profile {u"Ann"_s, 0xff000000},
        Cursor {client, 1, 2, false},
        Typing {client, true},
        live,
        Error {ErrorCode::Internal, u"oops"_s, u"item.points[3]"_s, true},
        ListRooms {u"tok"_s},
        RoomList {{RoomInfo {u"room"_s, 2, true}}},
        BlobOffer {QString(64, u'a'), 10},
        BlobPut {QString(64, u'a'), 10, 2, "xy"},
        BlobStatus {QString(64, u'a'), 10, 2, ErrorCode::RateLimited, u"slow down"_s, true},
        BlobGet {QString(64, u'a'), 2},
        BlobData {QString(64, u'a'), 10, 2, "xy"},
        History {quint64(4), 2, 10},
        HistoryPage {3, 9, 2, 1, {text}, {Op {OpKind::Chat, 1, 5, client, u"Ann"_s, 5, {}, {}, 0, 0, u"hi"_s}}, 5},
        HistoryPage {0, 9, 0, 0, {}, {}, 0, ErrorCode::RateLimited, u"slow down"_s, true},
        View {client, 1, 2, 3, 4},
        Laser {client, {{1, 2}}, true},
        Summon {client, false},
        Handover {client},
        ReplicaAck {4},
        Standby {client, u"Bob"_s, u"wss://host:1"_s, QString(64, u'A'), 1},
        Moved {client, u"Bob"_s, u"wss://host:1"_s, QString(64, u'A')},
    };
    {
        Hello &hello = std::get<Hello>(messages[0]);
        hello.serve = true;
        Welcome &welcome = std::get<Welcome>(messages[1]);
        welcome.members[0].serve = true;
        welcome.opByteRate = 1048576;
        welcome.opByteBurst = 4194304;
        Replica replica {true, u"epoch"_s, u"room"_s, "salt", "hash", 1, 5, Role::Viewer, true, {text}};
        Op said {OpKind::Chat, 1, 5, client, u"Ann"_s, 5, {}, {}, 0, 0, u"hi"_s};
        replica.chat = {said};
        replica.clients = {ReplicaClient {client, 1, 2, 3, QByteArray(32, 'x'), Role::Owner, true}};
        replica.ops = {said};
        replica.complete = true;
        replica.blob = BlobData {QString(64, u'a'), 3, 0, "abc"};
        messages.append(replica);
    }
    // Each kind of op writes its own fields.
    for (const OpKind kind : {OpKind::Add, OpKind::Update, OpKind::Remove, OpKind::Move, OpKind::Clear, OpKind::Chat,
                              OpKind::SetRole, OpKind::SetDefaultRole, OpKind::Lock, OpKind::Unlock, OpKind::Kick,
                              OpKind::Rollback, OpKind::Direct, OpKind::Restack}) {
        Item item = text;
        item.z = 0;
        messages.append(Op {kind,
                            1,
                            2,
                            client,
                            u"Ann"_s,
                            5,
                            item,
                            {text.id},
                            1,
                            2,
                            u"hi"_s,
                            client,
                            Role::Viewer,
                            true,
                            3,
                            {text},
                            2,
                            {-4}});
    }
    // An image writes the item fields a text does not.
    Item image = text;
    image.kind = ItemKind::Image;
    image.points = {{1, 2}, {3, 4}};
    image.blob = QString(64, u'a');
    image.bytes = 10;
    image.z = 0;
    Op addImage;
    addImage.kind = OpKind::Add;
    addImage.cseq = 1;
    addImage.seq = 2;
    addImage.client = client;
    addImage.author = u"Ann"_s;
    addImage.time = 5;
    addImage.item = image;
    messages.append(addImage);
    image.z = 6;
    messages.append(Snapshot {3, {image}});
    return messages;
}

QString formatValue(double value)
{
    if (value == std::floor(value) && std::abs(value) < 9.0e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 15);
}

QString describe(const Expected &expected)
{
    return expected.name.isEmpty() ? formatValue(expected.value)
                                   : u"%1 (%2)"_s.arg(formatValue(expected.value), expected.name);
}

QString stripCode(const QString &cell)
{
    if (cell.size() >= 2 && cell.startsWith(u'`') && cell.endsWith(u'`') && cell.count(u'`') == 2)
        return cell.mid(1, cell.size() - 2);
    return {};
}

//! The contents of every code span in text, in order.
QStringList codeSpans(QStringView text)
{
    QStringList spans;
    qsizetype open = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'`')
            continue;
        if (open < 0) {
            open = i;
        } else {
            spans << text.mid(open + 1, i - open - 1).toString();
            open = -1;
        }
    }
    return spans;
}

//! A fields cell's entries ("`name` (type, default)", ...): split at commas outside parentheses and code spans.
QStringList topLevelEntries(QStringView cell)
{
    QStringList entries;
    int depth = 0;
    bool code = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < cell.size(); ++i) {
        const QChar c = cell[i];
        if (c == u'`') {
            code = !code;
        } else if (!code && c == u'(') {
            ++depth;
        } else if (!code && c == u')') {
            --depth;
        } else if (!code && depth == 0 && c == u',') {
            entries << cell.mid(start, i - start).trimmed().toString();
            start = i + 1;
        }
    }
    entries << cell.mid(start).trimmed().toString();
    return entries;
}

QString joinSorted(const QSet<QString> &names)
{
    QStringList list(names.begin(), names.end());
    list.sort();
    return u'`' + list.join(u"`, `"_s) + u'`';
}

// ------------------------------------------------------------------------------------------------ the checker

class Checker
{
public:
    Checker(const Sources &sources, const Options &options)
        : m_sources(sources)
        , m_options(options)
        , m_lines(sources.protocolDoc.split(u'\n'))
        , m_tables(parseTables(sources.protocolDoc))
    { }

    QStringList run()
    {
        checkTitle();
        checkDefaultPort();
        checkMessages();
        checkExamples();
        checkErrors();
        checkCloseCodes();
        checkNumbers();
        checkLimitsHeaderIsCovered();
        return m_problems;
    }

private:
    void problem(int line, const QString &text)
    {
        m_problems << (line > 0 ? u"%1:%2: %3"_s.arg(kDoc).arg(line).arg(text) : u"%1: %2"_s.arg(kDoc, text));
    }

    //! The table under this heading whose header starts with these cells; reports it when there is not exactly one.
    const Table *table(const QString &section, const QStringList &header)
    {
        const Table *found = nullptr;
        int count = 0;
        for (const Table &t : m_tables) {
            if (t.section == section && t.header.mid(0, header.size()) == header) {
                found = &t;
                ++count;
            }
        }
        if (count != 1) {
            problem(0,
                    u"expected one table with the columns '%1' under the heading '%2', found %3"_s
                        .arg(header.join(u" | "_s), section)
                        .arg(count));
            return nullptr;
        }
        return found;
    }

    //! The lines under a heading, up to the next heading (headings inside code blocks do not count).
    QList<std::pair<int, QString>> section(const QString &heading) const
    {
        QList<std::pair<int, QString>> lines;
        bool inside = false;
        bool fence = false;
        for (int i = 0; i < m_lines.size(); ++i) {
            const QString line = m_lines[i].trimmed();
            if (line.startsWith(u"```"_s))
                fence = !fence;
            if (!fence && line.startsWith(u'#')) {
                if (inside)
                    break;
                inside = line.section(u' ', 1).trimmed() == heading;
                continue;
            }
            if (inside)
                lines.append({i + 1, m_lines[i]});
        }
        return lines;
    }

    void checkTitle()
    {
        static const QRegularExpression title(u"^# .*\\bversion (\\d+)\\s*$"_s);
        for (int i = 0; i < m_lines.size(); ++i) {
            if (!m_lines[i].startsWith(u"# "_s))
                continue;
            const auto match = title.match(m_lines[i].trimmed());
            if (!match.hasMatch()) {
                problem(i + 1, u"the title does not end in 'version N'"_s);
            } else if (match.captured(1).toInt() != proto::ProtocolVersion) {
                problem(i + 1,
                        u"the title says version %1; shared/ speaks version %2 (proto::ProtocolVersion)"_s
                            .arg(match.captured(1))
                            .arg(proto::ProtocolVersion));
            }
            return;
        }
        problem(0, u"no title (a line starting with '# ')"_s);
    }

    //! The sentence in Transport; the links table's default is one of the numbers checkNumbers() reads.
    void checkDefaultPort()
    {
        static const QRegularExpression port(u"the default port is (\\d+)"_s);
        for (const auto &[line, text] : section(u"Transport"_s)) {
            const auto match = port.match(text);
            if (!match.hasMatch())
                continue;
            if (match.captured(1).toInt() != limits::DefaultPort) {
                problem(line,
                        u"Transport says the default port is %1; shared/ has %2 (limits::DefaultPort)"_s
                            .arg(match.captured(1))
                            .arg(limits::DefaultPort));
            }
            return;
        }
        problem(0, u"the Transport section does not say 'the default port is N'"_s);
    }

    void checkMessages()
    {
        const Table *t = table(u"Messages"_s, {u"type"_s, u"dir"_s, u"fields"_s, u"meaning"_s});
        if (!t)
            return;
        QMap<QString, int> rows; // wire name -> row index
        for (int r = 0; r < t->rows.size(); ++r) {
            const QString name = stripCode(t->rows[r].value(0));
            if (name.isEmpty()) {
                problem(t->rowLines[r], u"Messages: the type '%1' is not one code span"_s.arg(t->rows[r].value(0)));
                continue;
            }
            if (rows.contains(name))
                problem(t->rowLines[r], u"Messages: `%1` is documented twice"_s.arg(name));
            rows.insert(name, r);
        }
        const QMap<QString, QSet<QString>> encoded = encodedFields();
        const QSet<QString> opFields = tableFields(u"Op"_s);
        for (const WireType &type : kMessageTypes) {
            const QString name = type.wire;
            if (!rows.contains(name)) {
                problem(
                    t->line,
                    u"Messages: `%1` is in INKROOM_MESSAGE_TYPES (shared/messagetypes.h) but has no row"_s.arg(name));
                continue;
            }
            const int r = rows.take(name);
            const QStringList &cells = t->rows[r];
            const int line = t->rowLines[r];

            const QString dir = cells.value(1);
            const QString expected = directionName(proto::directionOf(type.type));
            if (dir != expected) {
                problem(line,
                        u"Messages: `%1` has dir '%2'; proto::directionOf() says '%3'"_s.arg(name, dir, expected));
            }

            // Field names: the cell's entries, or the Op table for "the Op fields".
            QSet<QString> documented;
            if (cells.value(2) == u"the Op fields"_s) {
                documented = opFields;
            } else {
                for (const QString &entry : topLevelEntries(cells.value(2))) {
                    const QStringList spans = codeSpans(entry);
                    if (!entry.startsWith(u'`') || spans.isEmpty()) {
                        problem(
                            line,
                            u"Messages: `%1`: the fields entry '%2' does not start with a field name in a code span"_s
                                .arg(name, entry));
                    } else {
                        documented.insert(spans.first());
                    }
                }
            }
            compareFields(line, u"Messages: `%1`"_s.arg(name), documented, encoded.value(name));
        }
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            problem(t->rowLines[it.value()],
                    u"Messages: `%1` is not a type of INKROOM_MESSAGE_TYPES (shared/messagetypes.h)"_s.arg(it.key()));
        }

        // The objects inside messages: their tables against what encode() writes for them.
        const Table *item = table(u"Item"_s, {u"field"_s});
        if (item)
            compareFields(item->line, u"Item"_s, tableFields(u"Item"_s), encoded.value(u"snapshot.items[]"_s));
        const Table *member = table(u"Member"_s, {u"field"_s});
        if (member)
            compareFields(member->line, u"Member"_s, tableFields(u"Member"_s), encoded.value(u"welcome.members[]"_s));
    }

    static QString directionName(proto::Direction direction)
    {
        switch (direction) {
        case proto::Direction::ClientToServer:
            return u"C"_s;
        case proto::Direction::ServerToClient:
            return u"S"_s;
        case proto::Direction::Both:
            return u"C, S"_s;
        }
        return {};
    }

    //! The field names a table lists in its first column ("`dx`, `dy`" is two).
    QSet<QString> tableFields(const QString &sectionName)
    {
        QSet<QString> fields;
        for (const Table &t : m_tables) {
            if (t.section != sectionName || t.header.value(0) != u"field"_s)
                continue;
            for (const QStringList &row : t.rows) {
                for (const QString &name : codeSpans(row.value(0)))
                    fields.insert(name);
            }
        }
        return fields;
    }

    //! What encode() writes: the top-level keys of each type (but "type"), and of an item and a member inside.
    static QMap<QString, QSet<QString>> encodedFields()
    {
        QMap<QString, QSet<QString>> fields;
        const auto keys = [](const QJsonObject &o) {
            const QStringList list = o.keys();
            QSet<QString> names(list.begin(), list.end());
            names.remove(u"type"_s);
            return names;
        };
        for (const proto::Message &message : fullMessages()) {
            const QJsonObject o = QJsonDocument::fromJson(proto::encode(message)).object();
            const QString type = o.value(u"type"_s).toString();
            fields[type] += keys(o);
            for (const QJsonValue &item : o.value(u"items"_s).toArray())
                fields[type + u".items[]"_s] += keys(item.toObject());
            if (o.contains(u"members"_s))
                fields[type + u".members[]"_s] += keys(o.value(u"members"_s).toArray().at(0).toObject());
        }
        return fields;
    }

    void compareFields(int line, const QString &where, const QSet<QString> &documented, const QSet<QString> &encoded)
    {
        if (encoded.isEmpty()) {
            problem(line, u"%1: the test has no full message to compare the fields with (fullMessages())"_s.arg(where));
            return;
        }
        if (const QSet<QString> extra = documented - encoded; !extra.isEmpty())
            problem(line, u"%1 documents %2, which encode() does not write"_s.arg(where, joinSorted(extra)));
        if (const QSet<QString> missing = encoded - documented; !missing.isEmpty())
            problem(line, u"%1 does not document %2, which encode() writes"_s.arg(where, joinSorted(missing)));
    }

    //! Every line of the Messages section's json example block is a message that decodes.
    void checkExamples()
    {
        bool inBlock = false;
        int examples = 0;
        for (const auto &[line, text] : section(u"Messages"_s)) {
            const QString trimmed = text.trimmed();
            if (trimmed.startsWith(u"```"_s)) {
                inBlock = trimmed == u"```json"_s;
                continue;
            }
            if (!inBlock || trimmed.isEmpty())
                continue;
            ++examples;
            const proto::DecodeResult result = proto::decode(trimmed.toUtf8(), limits::MaxServerMessageBytes);
            if (!result.ok()) {
                problem(line,
                        u"the example does not decode: %1 (%2)"_s.arg(proto::errorCodeName(result.error().code),
                                                                      result.error().message));
            }
        }
        if (examples == 0)
            problem(0, u"the Messages section has no ```json block of examples"_s);
    }

    void checkErrors()
    {
        const Table *t = table(u"Errors"_s, {u"code"_s, u"meaning"_s, u"in a reject"_s});
        if (!t)
            return;
        QMap<QString, int> rows;
        for (int r = 0; r < t->rows.size(); ++r) {
            const QString name = stripCode(t->rows[r].value(0));
            if (name.isEmpty()) {
                problem(t->rowLines[r], u"Errors: the code '%1' is not one code span"_s.arg(t->rows[r].value(0)));
                continue;
            }
            if (rows.contains(name))
                problem(t->rowLines[r], u"Errors: `%1` is documented twice"_s.arg(name));
            rows.insert(name, r);
        }
        for (const WireCode &code : kErrorCodes) {
            const QString name = code.wire;
            if (!rows.contains(name)) {
                problem(t->line,
                        u"Errors: `%1` is in INKROOM_ERROR_CODES (shared/messagetypes.h) but has no row"_s.arg(name));
                continue;
            }
            const int r = rows.take(name);
            const QString reject = t->rows[r].value(2);
            const bool transient = proto::isTransient(code.code);
            if (reject != u"transient"_s && reject != u"permanent"_s && reject != u"-"_s) {
                problem(t->rowLines[r],
                        u"Errors: `%1`: 'in a reject' is '%2', not transient, permanent or -"_s.arg(name, reject));
            } else if ((reject == u"transient"_s) != transient) {
                problem(t->rowLines[r],
                        u"Errors: `%1` is %2 in the document, but proto::isTransient() says %3"_s.arg(
                            name, reject == u"-"_s ? u"'-' (never in a reject)"_s : reject,
                            transient ? u"transient"_s : u"permanent"_s));
            }
        }
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            problem(t->rowLines[it.value()],
                    u"Errors: `%1` is not a code of INKROOM_ERROR_CODES (shared/messagetypes.h)"_s.arg(it.key()));
        }
    }

    //! proto::CloseCode's values as closecodes.h declares them: the enum has no list the test could expand.
    QMap<int, QString> closeCodeEnum()
    {
        QMap<int, QString> values;
        const QString &header = m_sources.closeCodesHeader;
        const qsizetype begin = header.indexOf(u"enum class CloseCode"_s);
        const qsizetype open = header.indexOf(u'{', begin);
        const qsizetype close = header.indexOf(u"};"_s, open);
        if (begin < 0 || open < 0 || close < 0) {
            m_problems << u"shared/closecodes.h: no 'enum class CloseCode { ... };'"_s;
            return values;
        }
        static const QRegularExpression enumerator(u"^(\\w+)\\s*=\\s*(\\d+)\\s*,?$"_s);
        for (QString line : header.mid(open + 1, close - open - 1).split(u'\n')) {
            line = line.section(u"//"_s, 0, 0).trimmed();
            if (line.isEmpty())
                continue;
            const auto match = enumerator.match(line);
            if (!match.hasMatch()) {
                m_problems << u"shared/closecodes.h: cannot read the enumerator '%1' (write NAME = NUMBER,)"_s.arg(
                    line);
                continue;
            }
            values.insert(match.captured(2).toInt(), match.captured(1));
        }
        return values;
    }

    void checkCloseCodes()
    {
        const QMap<int, QString> enumValues = closeCodeEnum();
        const Table *t = table(u"Close codes"_s, {u"code"_s, u"meaning"_s, u"does the client retry?"_s});
        if (!t)
            return;
        QSet<int> documented;
        for (int r = 0; r < t->rows.size(); ++r) {
            const QStringList &cells = t->rows[r];
            const int line = t->rowLines[r];
            bool isNumber = false;
            const int code = cells.value(0).toInt(&isNumber);
            if (!isNumber) {
                problem(line, u"Close codes: '%1' is not a number"_s.arg(cells.value(0)));
                continue;
            }
            if (documented.contains(code))
                problem(line, u"Close codes: %1 is documented twice"_s.arg(code));
            documented.insert(code);
            if (!enumValues.contains(code) && !m_options.webSocketLayerCloseCodes.contains(code)) {
                problem(line,
                        u"Close codes: %1 is not a value of proto::CloseCode (shared/closecodes.h), nor a standard "
                        u"code the WebSocket layer sends that the test allows"_s.arg(code));
            }
            const QString retry = cells.value(2);
            const bool no = retry == u"no"_s || retry.startsWith(u"no,"_s) || retry.startsWith(u"no "_s);
            const bool yes = retry == u"yes"_s || retry.startsWith(u"yes,"_s) || retry.startsWith(u"yes "_s);
            if (!no && !yes) {
                problem(line,
                        u"Close codes: %1: 'does the client retry?' is '%2', which starts with neither yes nor no"_s
                            .arg(code)
                            .arg(retry));
            } else if (yes != proto::isRetryable(quint16(code))) {
                problem(line,
                        u"Close codes: %1: the document says the client retries: %2; proto::isRetryable(%1) says %3"_s
                            .arg(code)
                            .arg(yes ? u"yes"_s : u"no"_s, proto::isRetryable(quint16(code)) ? u"yes"_s : u"no"_s));
            }
        }
        for (auto it = enumValues.cbegin(); it != enumValues.cend(); ++it) {
            if (!documented.contains(it.key())) {
                problem(t->line,
                        u"Close codes: proto::CloseCode::%1 = %2 (shared/closecodes.h) has no row"_s.arg(it.value())
                            .arg(it.key()));
            }
        }
    }

    //! Every number in the checked tables is the one shared/ has, and no row states a number the test does not know.
    void checkNumbers()
    {
        const QList<RowNumbers> expectations = expectedNumbers();
        const QList<std::pair<QString, QString>> tables {
            {u"Value types"_s, u"name"_s}, {u"Item"_s, u"field"_s},    {u"Op"_s, u"field"_s},
            {u"Member"_s, u"field"_s},     {u"Messages"_s, u"type"_s}, {u"Errors"_s, u"code"_s},
            {u"Limits"_s, u"what"_s},      {u"Links"_s, u"link"_s},
        };
        for (const auto &[sectionName, key] : tables) {
            const Table *t = table(sectionName, {key});
            if (!t)
                continue;
            QSet<QString> seen;
            for (int r = 0; r < t->rows.size(); ++r) {
                const QStringList &cells = t->rows[r];
                const QString &row = cells.value(0);
                seen.insert(row);
                QList<Number> numbers;
                for (qsizetype c = 1; c < cells.size(); ++c)
                    numbers += numbersIn(cells[c]);
                QList<Expected> expected;
                for (const RowNumbers &e : expectations) {
                    if (e.table == sectionName && e.row == row)
                        expected = e.numbers;
                }
                compareNumbers(t->rowLines[r], u"%1, row '%2'"_s.arg(sectionName, row), numbers, expected);
            }
            for (const RowNumbers &e : expectations) {
                if (e.table != sectionName || seen.contains(e.row))
                    continue;
                QStringList values;
                for (const Expected &x : e.numbers)
                    values << describe(x);
                problem(t->line,
                        u"%1: no row '%2' (the test expects it to state %3)"_s.arg(sectionName, e.row,
                                                                                   values.join(u", "_s)));
            }
        }
    }

    void compareNumbers(int line, const QString &where, const QList<Number> &numbers, const QList<Expected> &expected)
    {
        if (numbers.size() != expected.size()) {
            QStringList said;
            for (const Number &n : numbers)
                said << n.text;
            QStringList wanted;
            for (const Expected &x : expected)
                wanted << describe(x);
            problem(line,
                    u"%1 states the numbers [%2] where the test expects [%3]: fix the document, or tell the test "
                    u"which constants the new numbers are (expectedNumbers() in tests/shared/protocoldoc.cpp)"_s.arg(
                        where, said.join(u", "_s), wanted.join(u", "_s)));
            return;
        }
        for (qsizetype i = 0; i < numbers.size(); ++i) {
            if (numbers[i].value != expected[i].value) {
                problem(line, u"%1 says %2 where shared/ has %3"_s.arg(where, numbers[i].text, describe(expected[i])));
            }
        }
    }

    //! Every constant of protocollimits.h is one the test compares with the document.
    void checkLimitsHeaderIsCovered()
    {
        QSet<QString> checked;
        static const QRegularExpression reference(u"limits::(\\w+)"_s);
        for (const RowNumbers &e : expectedNumbers()) {
            for (const Expected &x : e.numbers) {
                for (const auto &match : reference.globalMatch(x.name))
                    checked.insert(match.captured(1));
            }
        }
        static const QRegularExpression constant(u"^\\s*inline constexpr [\\w:]+ (\\w+) ="_s);
        int found = 0;
        for (const QString &line : m_sources.limitsHeader.split(u'\n')) {
            if (!line.contains(u"constexpr"_s))
                continue;
            const auto match = constant.match(line);
            if (!match.hasMatch()) {
                m_problems << u"shared/protocollimits.h: cannot read '%1' (write inline constexpr TYPE NAME = ...;)"_s
                                  .arg(line.trimmed());
                continue;
            }
            ++found;
            if (!checked.contains(match.captured(1))) {
                m_problems << u"shared/protocollimits.h: limits::%1 is not compared with %2: state it there and add it "
                              u"to expectedNumbers() in tests/shared/protocoldoc.cpp"_s.arg(match.captured(1), kDoc);
            }
        }
        if (found == 0)
            m_problems << u"shared/protocollimits.h: no constants found"_s;
    }

    const Sources &m_sources;
    const Options &m_options;
    const QStringList m_lines;
    const QList<Table> m_tables;
    QStringList m_problems;
};

bool isSeparatorRow(const QString &line)
{
    static const QRegularExpression separator(u"^\\|?(\\s*:?-+:?\\s*\\|)*\\s*:?-+:?\\s*\\|?$"_s);
    return separator.match(line.trimmed()).hasMatch();
}

//! GitHub's rule: cells are split at every | that is not escaped, code spans included.
QStringList splitRow(QString line)
{
    line = line.trimmed();
    if (line.startsWith(u'|'))
        line.remove(0, 1);
    if (line.endsWith(u'|') && !line.endsWith(u"\\|"_s))
        line.chop(1);
    QStringList cells;
    QString cell;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == u'\\' && i + 1 < line.size() && line[i + 1] == u'|') {
            cell += u'|';
            ++i;
        } else if (line[i] == u'|') {
            cells << cell.trimmed();
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    cells << cell.trimmed();
    return cells;
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

bool isAsciiDigit(const QString &text, qsizetype i)
{
    return i >= 0 && i < text.size() && text[i] >= u'0' && text[i] <= u'9';
}

} // namespace

QList<Table> parseTables(const QString &markdown)
{
    QList<Table> tables;
    const QStringList lines = markdown.split(u'\n');
    QString section;
    bool fence = false;
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.startsWith(u"```"_s)) {
            fence = !fence;
            continue;
        }
        if (fence)
            continue;
        if (line.startsWith(u'#')) {
            section = line.section(u' ', 1).trimmed();
            continue;
        }
        if (!line.startsWith(u'|') || i + 1 >= lines.size() || !isSeparatorRow(lines[i + 1]))
            continue;
        Table table;
        table.section = section;
        table.line = i + 1;
        table.header = splitRow(line);
        int j = i + 2;
        for (; j < lines.size() && lines[j].trimmed().startsWith(u'|'); ++j) {
            table.rows << splitRow(lines[j]);
            table.rowLines << j + 1;
        }
        tables << table;
        i = j - 1;
    }
    return tables;
}

QList<Number> numbersIn(QStringView cell)
{
    // Digits in code spans are names ("0-9", "x0"), and link targets are addresses.
    QString text;
    bool code = false;
    for (qsizetype i = 0; i < cell.size(); ++i) {
        const QChar c = cell[i];
        if (c == u'`') {
            code = !code;
            text += u' ';
        } else if (code) {
            continue;
        } else if (c == u']' && i + 1 < cell.size() && cell[i + 1] == u'(' && cell.indexOf(u')', i) > 0) {
            i = cell.indexOf(u')', i);
            text += u' ';
        } else {
            text += c;
        }
    }

    QList<Number> numbers;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        const QChar before = i > 0 ? text[i - 1] : QChar(u' ');
        const bool sign = (c == u'-' || c == u'\u00b1' || c == u'\u2212') && isAsciiDigit(text, i + 1);
        const bool starts = (sign || isAsciiDigit(text, i)) && !isWordCharacter(before) && before != u'-'
            && before != u'.' && before != u'^';
        if (!starts) {
            // Skip a whole word, so the digits in "UTF-8" or "x0" are not numbers.
            if (isWordCharacter(c)) {
                while (i < text.size() && (isWordCharacter(text[i]) || text[i] == u'-'))
                    ++i;
            } else {
                ++i;
            }
            continue;
        }
        qsizetype j = sign ? i + 1 : i;
        QString digits;
        while (isAsciiDigit(text, j))
            digits += text[j++];
        // Thousands separators: ",ddd" not followed by another digit.
        while (j < text.size() && text[j] == u',' && isAsciiDigit(text, j + 1) && isAsciiDigit(text, j + 2)
               && isAsciiDigit(text, j + 3) && !isAsciiDigit(text, j + 4)) {
            digits += text.mid(j + 1, 3);
            j += 4;
        }
        if (j < text.size() && text[j] == u'.' && isAsciiDigit(text, j + 1)) {
            digits += u'.';
            ++j;
            while (isAsciiDigit(text, j))
                digits += text[j++];
        }
        double value = digits.toDouble();
        if (j < text.size() && text[j] == u'^' && isAsciiDigit(text, j + 1)) {
            QString exponent;
            ++j;
            while (isAsciiDigit(text, j))
                exponent += text[j++];
            value = std::pow(value, exponent.toDouble());
        }
        if (j < text.size() && isWordCharacter(text[j])) {
            // "4th", "0x10": a word, not a number.
            while (j < text.size() && isWordCharacter(text[j]))
                ++j;
            i = j;
            continue;
        }
        for (const auto &[unit, factor] : {std::pair {u" KiB"_s, 1024.0}, std::pair {u" MiB"_s, 1024.0 * 1024.0},
                                           std::pair {u" GiB"_s, 1024.0 * 1024.0 * 1024.0}}) {
            if (QStringView(text).mid(j).startsWith(unit)
                && (j + unit.size() == text.size() || !isWordCharacter(text[j + unit.size()]))) {
                value *= factor;
                j += unit.size();
                break;
            }
        }
        if (c == u'-' || c == u'\u2212')
            value = -value;
        numbers.append({value, text.mid(i, j - i)});
        i = j;
    }
    return numbers;
}

QStringList check(const Sources &sources, const Options &options)
{
    return Checker(sources, options).run();
}

} // namespace inkroom::protocoldoc
