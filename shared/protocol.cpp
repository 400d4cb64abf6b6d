#include "protocol.h"

#include "opbytes.h"

#include "fingerprint.h"
#include "jsonview.h"
#include "protocollimits.h"
#include "textrules.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::proto {

namespace {

struct TypeEntry
{
    MessageType value;
    QLatin1StringView name;
};
constexpr TypeEntry kTypes[] = {
#define INKROOM_X(name, wire) {MessageType::name, QLatin1StringView(wire)},
    INKROOM_MESSAGE_TYPES(INKROOM_X)
#undef INKROOM_X
};

struct ErrorEntry
{
    ErrorCode value;
    QLatin1StringView name;
    QLatin1StringView text;
};
constexpr ErrorEntry kErrors[] = {
#define INKROOM_X(name, wire, text) {ErrorCode::name, QLatin1StringView(wire), QLatin1StringView(text)},
    INKROOM_ERROR_CODES(INKROOM_X)
#undef INKROOM_X
};

constexpr QLatin1StringView kItemKinds[] = {"stroke"_L1,  "line"_L1, "arrow"_L1, "rect"_L1,
                                            "ellipse"_L1, "text"_L1, "image"_L1};
constexpr QLatin1StringView kOpKinds[] = {"add"_L1,  "update"_L1,   "remove"_L1,       "move"_L1,   "clear"_L1,
                                          "chat"_L1, "role"_L1,     "default_role"_L1, "lock"_L1,   "unlock"_L1,
                                          "kick"_L1, "rollback"_L1, "dm"_L1,           "restack"_L1};
constexpr QLatin1StringView kDashes[] = {"solid"_L1, "dashed"_L1, "dotted"_L1};
constexpr QLatin1StringView kHeads[] = {"none"_L1, "start"_L1, "end"_L1, "both"_L1};
constexpr QLatin1StringView kRoles[] = {"owner"_L1, "editor"_L1, "viewer"_L1};
constexpr QLatin1StringView kPresenceEvents[] = {"joined"_L1, "left"_L1, "updated"_L1};

//! The value of the table entry with this wire name.
template<class Entry, std::size_t N>
auto entryFromName(const Entry (&entries)[N], QStringView name) -> std::optional<decltype(entries[0].value)>
{
    for (const Entry &entry : entries) {
        if (name == entry.name)
            return entry.value;
    }
    return std::nullopt;
}

template<class Enum, std::size_t N>
std::optional<Enum> enumFromName(const QLatin1StringView (&names)[N], QStringView name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name == names[i])
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

//! Thrown inside the decoder only; decode() turns it into a DecodeError.
struct DecodeFailure
{
    DecodeError error;
};

[[noreturn]] void fail(ErrorCode code, const QString &field, const QString &message)
{
    throw DecodeFailure {DecodeError {code, field, message}};
}

bool hasControlCharacters(QStringView text, bool allowNewlines)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (allowNewlines && (u == u'\n' || u == u'\t'))
            continue;
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0))
            return true;
    }
    return false;
}

bool isIdCharacter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_'
        || u == u':' || u == u'.';
}

bool isIdString(QStringView id, int minLength, int maxLength)
{
    if (id.size() < minLength || id.size() > maxLength)
        return false;
    return std::all_of(id.begin(), id.end(), isIdCharacter);
}

//! QJsonValue with json::Value's interface: the decoder reads what only QJsonDocument accepted through it.
class QtValue
{
public:
    QtValue(QJsonValue value) // NOLINT(google-explicit-constructor)
        : m_value(std::move(value))
    { }
    [[nodiscard]] bool isUndefined() const { return m_value.isUndefined(); }
    [[nodiscard]] bool isBool() const { return m_value.isBool(); }
    [[nodiscard]] bool isDouble() const { return m_value.isDouble(); }
    [[nodiscard]] bool isString() const { return m_value.isString(); }
    [[nodiscard]] bool isArray() const { return m_value.isArray(); }
    [[nodiscard]] bool isObject() const { return m_value.isObject(); }
    [[nodiscard]] bool toBool() const { return m_value.toBool(); }
    [[nodiscard]] double toDouble() const { return m_value.toDouble(); }
    [[nodiscard]] QString toString() const { return m_value.toString(); }
    [[nodiscard]] qsizetype size() const
    {
        return m_value.isArray() ? m_value.toArray().size() : m_value.isObject() ? m_value.toObject().size() : 0;
    }
    [[nodiscard]] bool isEmpty() const { return size() == 0; }
    [[nodiscard]] QtValue at(qsizetype i) const { return m_value.toArray().at(i); }
    [[nodiscard]] QtValue value(QLatin1StringView key) const { return m_value.toObject().value(key); }
    [[nodiscard]] bool contains(QLatin1StringView key) const { return m_value.toObject().contains(key); }

private:
    QJsonValue m_value;
};

/** Reads fields of one JSON object and names the exact path of whatever is wrong. V is json::Value (what the fast
 *  parser read) or QtValue (what only QJsonDocument accepted). */
template<class V> class Reader
{
public:
    Reader(V object, QString path)
        : m_object(std::move(object))
        , m_path(std::move(path))
    { }

    [[nodiscard]] QString path(const QString &key) const { return m_path.isEmpty() ? key : m_path + u'.' + key; }
    [[nodiscard]] QString path(QLatin1StringView key) const { return path(QString(key)); }
    [[nodiscard]] bool has(QLatin1StringView key) const { return m_object.contains(key); }

    V required(QLatin1StringView key) const
    {
        const V value = m_object.value(key);
        if (value.isUndefined())
            fail(ErrorCode::MissingField, path(key), u"field '%1' is missing"_s.arg(path(key)));
        return value;
    }

    QString string(QLatin1StringView key, int maxLength, std::optional<QString> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        const V value = required(key);
        if (!value.isString())
            wrongType(key, "a string");
        QString text = value.toString();
        if (text.size() > maxLength) {
            fail(ErrorCode::TooLong, path(key),
                 u"field '%1' is %2 characters long; at most %3 are allowed"_s.arg(path(key))
                     .arg(text.size())
                     .arg(maxLength));
        }
        return text;
    }

    QString identifier(QLatin1StringView key, int minLength, int maxLength) const
    {
        QString id = string(key, maxLength);
        if (!isIdString(id, minLength, maxLength)) {
            fail(ErrorCode::BadValue, path(key),
                 u"field '%1' must be %2 to %3 characters of A-Z a-z 0-9 - _ : ."_s.arg(path(key)).arg(minLength).arg(
                     maxLength));
        }
        return id;
    }

    double number(QLatin1StringView key, double min, double max, std::optional<double> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        return checkedNumber(required(key), path(key), min, max);
    }

    quint64 sequence(QLatin1StringView key, std::optional<quint64> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        const double value = number(key, 0, double(limits::MaxSequence));
        if (value != std::floor(value))
            fail(ErrorCode::OutOfRange, path(key), u"field '%1' must be a whole number"_s.arg(path(key)));
        // A double holds every whole number below 2^53 exactly, and 2^53 + 1 (and more) rounds to 2^53: a value of
        // 2^53 may not be what was sent, so it is refused rather than taken as something it may not be.
        if (value >= double(limits::MaxSequence)) {
            fail(ErrorCode::OutOfRange, path(key),
                 u"field '%1' must be below 2^53 (9007199254740992)"_s.arg(path(key)));
        }
        return quint64(value);
    }

    //! A stacking order: a whole number within +-limits::MaxStackOrder.
    qint64 stackOrder(QLatin1StringView key, std::optional<qint64> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        return checkedStackOrder(required(key), path(key));
    }

    int integer(QLatin1StringView key, int min, int max, std::optional<int> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        const double value = number(key, min, max);
        if (value != std::floor(value))
            fail(ErrorCode::OutOfRange, path(key), u"field '%1' must be a whole number"_s.arg(path(key)));
        return int(value);
    }

    //! A byte count or offset: a whole number from min to max.
    qint64 size(QLatin1StringView key, qint64 min, qint64 max, std::optional<qint64> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        const double value = number(key, double(min), double(max));
        if (value != std::floor(value))
            fail(ErrorCode::OutOfRange, path(key), u"field '%1' must be a whole number"_s.arg(path(key)));
        return qint64(value);
    }

    QString blobHash(QLatin1StringView key) const
    {
        QString hash = string(key, limits::BlobHashLength);
        if (!isValidBlobHash(hash)) {
            fail(ErrorCode::BadValue, path(key),
                 u"field '%1' must be a SHA-256 in 64 lower-case hex digits"_s.arg(path(key)));
        }
        return hash;
    }

    //! Base64 bytes, 1 to maxBytes of them once decoded.
    QByteArray base64(QLatin1StringView key, qint64 maxBytes) const
    {
        const qint64 maxChars = (maxBytes + 2) / 3 * 4;
        const QString text = string(key, int(maxChars));
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() > maxBytes) {
            fail(ErrorCode::TooLong, path(key),
                 u"field '%1' holds %2 bytes; at most %3 are allowed"_s.arg(path(key))
                     .arg(decoded.decoded.size())
                     .arg(maxBytes));
        }
        if (!decoded || decoded.decoded.isEmpty()
            || !std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; })) {
            fail(ErrorCode::BadValue, path(key),
                 u"field '%1' must be 1 to %2 bytes in base64"_s.arg(path(key)).arg(maxBytes));
        }
        return std::move(decoded.decoded);
    }

    bool boolean(QLatin1StringView key, std::optional<bool> fallback = std::nullopt) const
    {
        if (fallback && !has(key))
            return *fallback;
        const V value = required(key);
        if (!value.isBool())
            wrongType(key, "true or false");
        return value.toBool();
    }

    Colour colour(QLatin1StringView key) const
    {
        const QString text = string(key, 9);
        const auto colour = colourFromString(text);
        if (!colour)
            fail(ErrorCode::BadValue, path(key),
                 u"field '%1' must be a colour \"#rrggbb\" or \"#aarrggbb\""_s.arg(path(key)));
        return *colour;
    }

    template<class Enum, std::size_t N> Enum choice(QLatin1StringView key, const QLatin1StringView (&names)[N]) const
    {
        const QString text = string(key, 32);
        const auto value = enumFromName<Enum>(names, text);
        if (!value) {
            QStringList allowed;
            for (const auto &name : names)
                allowed << name;
            fail(ErrorCode::BadValue, path(key),
                 u"field '%1' must be one of: %2"_s.arg(path(key), allowed.join(u", "_s)));
        }
        return *value;
    }

    V array(QLatin1StringView key, qsizetype maxLength, ErrorCode tooLong = ErrorCode::TooLong) const
    {
        V list = required(key);
        if (!list.isArray())
            wrongType(key, "an array");
        if (list.size() > maxLength) {
            fail(tooLong, path(key),
                 u"field '%1' has %2 entries; at most %3 are allowed"_s.arg(path(key)).arg(list.size()).arg(maxLength));
        }
        return list;
    }

    Reader object(QLatin1StringView key) const
    {
        V value = required(key);
        if (!value.isObject())
            wrongType(key, "an object");
        return Reader(std::move(value), path(key));
    }

    //! A list of numbers, each from min to max (per-point widths).
    QList<double> numbers(QLatin1StringView key, int maxCount, double min, double max) const
    {
        const V list = array(key, maxCount, ErrorCode::TooManyPoints);
        QList<double> result;
        result.reserve(list.size());
        for (qsizetype i = 0; i < list.size(); ++i) {
            const V value = list.at(i);
            const double number = value.isDouble() ? value.toDouble() : std::nan("");
            if (std::isfinite(number) && number >= min && number <= max)
                result.append(number);
            else
                result.append(checkedNumber(value, path(key) + u'[' + QString::number(i) + u']', min, max));
        }
        return result;
    }

    //! Points travel flat: [x0, y0, x1, y1, ...].
    QList<QPointF> points(QLatin1StringView key, int maxPoints) const
    {
        const V list = array(key, qsizetype(maxPoints) * 2, ErrorCode::TooManyPoints);
        if (list.size() % 2 != 0)
            fail(ErrorCode::BadValue, path(key), u"field '%1' must hold x, y pairs"_s.arg(path(key)));
        QList<QPointF> result;
        result.reserve(list.size() / 2);
        for (qsizetype i = 0; i < list.size(); i += 2) {
            const double x = checkedCoordinate(list.at(i), key, i);
            const double y = checkedCoordinate(list.at(i + 1), key, i + 1);
            result.append(QPointF(x, y));
        }
        return result;
    }

    [[nodiscard]] const QString &basePath() const { return m_path; }

    static double checkedNumber(const V &value, const QString &field, double min, double max)
    {
        if (!value.isDouble())
            fail(ErrorCode::WrongType, field, u"field '%1' must be a number"_s.arg(field));
        const double number = value.toDouble();
        if (!std::isfinite(number) || number < min || number > max) {
            fail(ErrorCode::OutOfRange, field, u"field '%1' must be between %2 and %3"_s.arg(field).arg(min).arg(max));
        }
        return number;
    }

    static qint64 checkedStackOrder(const V &value, const QString &field)
    {
        const double number =
            checkedNumber(value, field, -double(limits::MaxStackOrder), double(limits::MaxStackOrder));
        if (number != std::floor(number))
            fail(ErrorCode::OutOfRange, field, u"field '%1' must be a whole number"_s.arg(field));
        return qint64(number);
    }

private:
    [[noreturn]] void wrongType(QLatin1StringView key, const char *expected) const
    {
        fail(ErrorCode::WrongType, path(key), u"field '%1' must be %2"_s.arg(path(key), QLatin1StringView(expected)));
    }

    double checkedCoordinate(const V &value, QLatin1StringView key, qsizetype index) const
    {
        // A stroke has up to 20,000 of these: spell out the field's path only for the one that is wrong.
        if (value.isDouble()) {
            const double number = value.toDouble();
            if (std::isfinite(number) && number >= -limits::MaxCoordinate && number <= limits::MaxCoordinate)
                return number;
        }
        return checkedNumber(value, path(key) + u'[' + QString::number(index) + u']', -limits::MaxCoordinate,
                             limits::MaxCoordinate);
    }

    V m_object;
    QString m_path;
};

/** Compact JSON with U+FEFF written as \ufeff. QJsonDocument::fromJson(), and so decode() on every peer, drops a raw
 *  U+FEFF at the start of a string without escapes as if it were a byte order mark, but keeps an escaped one: a
 *  message must decode to what was encoded. */
QByteArray compactJson(const QJsonObject &o)
{
    QByteArray bytes = QJsonDocument(o).toJson(QJsonDocument::Compact);
    // EF BB BF is U+FEFF and nothing else in valid UTF-8, and only strings hold anything but ASCII.
    constexpr QByteArrayView bom("\xef\xbb\xbf");
    if (bytes.contains(bom))
        bytes.replace(bom, QByteArrayView("\\ufeff"));
    return bytes;
}

// ---- values shared by several messages ----

//! A list of numbers encode() writes itself: the points of an item (in pairs) or its widths.
struct DirectArray
{
    const QList<QPointF> *points = nullptr;
    const QList<double> *numbers = nullptr;
};

/** While encode() writes an op or a snapshot: the point and width lists it writes itself, in the order they are met
 *  (their arrays are left empty in the QJsonObject and filled in afterwards, see withPoints()). nullptr otherwise. */
thread_local QList<DirectArray> *t_directPoints = nullptr;

QJsonArray pointsToJson(const QList<QPointF> &points)
{
    if (t_directPoints) {
        t_directPoints->append(DirectArray {&points, nullptr});
        return {};
    }
    QJsonArray list;
    for (const QPointF &p : points) {
        list.append(p.x());
        list.append(p.y());
    }
    return list;
}

//! Written after the points of the same object (its keys are sorted, and "points" comes before "widths").
QJsonArray widthsToJson(const QList<double> &widths)
{
    if (t_directPoints) {
        t_directPoints->append(DirectArray {nullptr, &widths});
        return {};
    }
    QJsonArray list;
    for (double w : widths)
        list.append(w);
    return list;
}

void checkItem(const Item &item, const QString &field)
{
    if (auto error = validateItem(item, field))
        throw DecodeFailure {*error};
}

//! Opacity, dash and heads, as items and live strokes carry them (heads for lines and arrows only).
template<class V, class T> void readStyle(const Reader<V> &r, T &m)
{
    m.opacity = r.number("opacity"_L1, limits::MinOpacity, limits::MaxOpacity, 1.0);
    if (m.kind != ItemKind::Text && m.kind != ItemKind::Image && r.has("dash"_L1))
        m.dash = r.template choice<Dash>("dash"_L1, kDashes);
    if ((m.kind == ItemKind::Line || m.kind == ItemKind::Arrow) && r.has("heads"_L1))
        m.heads = r.template choice<Heads>("heads"_L1, kHeads);
}
template<class T> void writeStyle(QJsonObject &o, const T &m)
{
    if (m.opacity != 1.0)
        o.insert("opacity"_L1, m.opacity);
    if (m.dash != Dash::Solid)
        o.insert("dash"_L1, dashName(m.dash));
    if (m.heads)
        o.insert("heads"_L1, headsName(*m.heads));
}

template<class V> Item readItem(const Reader<V> &r, bool withZ)
{
    Item item;
    item.id = r.identifier("id"_L1, 1, limits::MaxItemIdLength);
    item.kind = r.template choice<ItemKind>("kind"_L1, kItemKinds);
    const bool image = item.kind == ItemKind::Image;
    // An image has no colour or width of its own: they may be left out.
    if (!image || r.has("colour"_L1))
        item.colour = r.colour("colour"_L1);
    if (r.has("fill"_L1))
        item.fill = r.colour("fill"_L1);
    item.width = image ? r.number("width"_L1, limits::MinWidth, limits::MaxWidth, 1.0)
                       : r.number("width"_L1, limits::MinWidth, limits::MaxWidth);
    item.points = r.points("points"_L1, limits::MaxPointsPerItem);
    readStyle(r, item);
    if (item.kind == ItemKind::Stroke && r.has("widths"_L1))
        item.widths = r.numbers("widths"_L1, limits::MaxPointsPerItem, limits::MinWidth, limits::MaxWidth);
    if (item.kind == ItemKind::Text)
        item.text = r.string("text"_L1, limits::MaxTextItemLength);
    if (image) {
        item.blob = r.blobHash("blob"_L1);
        item.bytes = r.size("bytes"_L1, 1, limits::MaxBlobBytes);
    }
    if (withZ)
        item.z = r.stackOrder("z"_L1, 0);
    checkItem(item, r.basePath());
    return item;
}

QJsonObject itemToJson(const Item &item, bool withZ)
{
    QJsonObject o {{"id"_L1, item.id},
                   {"kind"_L1, itemKindName(item.kind)},
                   {"colour"_L1, colourToString(item.colour)},
                   {"width"_L1, item.width},
                   {"points"_L1, pointsToJson(item.points)}};
    if (item.fill)
        o.insert("fill"_L1, colourToString(*item.fill));
    writeStyle(o, item);
    if (!item.widths.isEmpty())
        o.insert("widths"_L1, widthsToJson(item.widths));
    if (item.kind == ItemKind::Text)
        o.insert("text"_L1, item.text);
    if (item.kind == ItemKind::Image) {
        o.insert("blob"_L1, item.blob);
        o.insert("bytes"_L1, double(item.bytes));
    }
    if (withZ && item.z)
        o.insert("z"_L1, double(item.z));
    return o;
}

template<class V> Member readMember(const Reader<V> &r)
{
    Member m;
    m.client = r.identifier("client"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
    m.name = r.string("name"_L1, limits::MaxNameLength);
    m.colour = r.colour("colour"_L1);
    m.typing = r.boolean("typing"_L1, false);
    if (r.has("role"_L1))
        m.role = r.template choice<Role>("role"_L1, kRoles);
    m.serve = r.boolean("serve"_L1, false);
    return m;
}

QJsonObject memberToJson(const Member &m)
{
    QJsonObject o {{"client"_L1, m.client}, {"name"_L1, m.name}, {"colour"_L1, colourToString(m.colour)}};
    if (m.typing)
        o.insert("typing"_L1, true);
    if (m.role)
        o.insert("role"_L1, roleName(*m.role));
    if (m.serve)
        o.insert("serve"_L1, true);
    return o;
}

template<class V> QString optionalClient(const Reader<V> &r)
{
    if (!r.has("client"_L1))
        return {};
    return r.identifier("client"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
}

void insertIfSet(QJsonObject &o, QLatin1StringView key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(key, value);
}

// ---- one reader and one writer per message type ----

template<class V> Hello readHello(const Reader<V> &r)
{
    Hello m;
    m.protocol = r.integer("protocol"_L1, 0, 1 << 30);
    if (m.protocol != ProtocolVersion) {
        fail(ErrorCode::UnsupportedVersion, u"protocol"_s,
             u"protocol version %1 is not supported; this peer speaks version %2"_s.arg(m.protocol)
                 .arg(ProtocolVersion));
    }
    m.client = r.identifier("client"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
    m.secret = r.string("secret"_L1, limits::MaxSecretLength);
    if (!isValidSecret(m.secret)) {
        fail(ErrorCode::BadValue, u"secret"_s,
             u"field 'secret' must be %1 to %2 characters of A-Z a-z 0-9 - _"_s.arg(limits::MinSecretLength)
                 .arg(limits::MaxSecretLength));
    }
    m.name = r.string("name"_L1, limits::MaxNameLength);
    if (!isValidDisplayName(m.name))
        fail(ErrorCode::BadValue, u"name"_s, u"field 'name' must be 1 to 40 characters without control characters"_s);
    m.colour = r.colour("colour"_L1);
    m.room = r.string("room"_L1, limits::MaxRoomLength);
    if (!isValidRoomName(m.room))
        fail(ErrorCode::BadValue, u"room"_s, u"field 'room' must be 1 to 64 characters without control characters"_s);
    m.password = r.string("password"_L1, limits::MaxPasswordLength, QString());
    m.token = r.string("token"_L1, limits::MaxTokenLength, QString());
    if (r.has("resume"_L1)) {
        const Reader<V> resume = r.object("resume"_L1);
        m.resume = ResumePoint {resume.identifier("epoch"_L1, 1, limits::MaxEpochLength), resume.sequence("seq"_L1)};
    }
    m.serve = r.boolean("serve"_L1, false);
    return m;
}

void writeBody(QJsonObject &o, const Hello &m)
{
    o.insert("protocol"_L1, m.protocol);
    o.insert("client"_L1, m.client);
    o.insert("secret"_L1, m.secret);
    o.insert("name"_L1, m.name);
    o.insert("colour"_L1, colourToString(m.colour));
    o.insert("room"_L1, m.room);
    insertIfSet(o, "password"_L1, m.password);
    insertIfSet(o, "token"_L1, m.token);
    if (m.resume)
        o.insert("resume"_L1, QJsonObject {{"epoch"_L1, m.resume->epoch}, {"seq"_L1, double(m.resume->seq)}});
    if (m.serve)
        o.insert("serve"_L1, true);
}

template<class V> Welcome readWelcome(const Reader<V> &r)
{
    Welcome m;
    m.protocol = r.integer("protocol"_L1, 0, 1 << 30);
    if (m.protocol != ProtocolVersion) {
        fail(ErrorCode::UnsupportedVersion, u"protocol"_s,
             u"protocol version %1 is not supported; this peer speaks version %2"_s.arg(m.protocol)
                 .arg(ProtocolVersion));
    }
    m.room = r.string("room"_L1, limits::MaxRoomLength);
    m.epoch = r.identifier("epoch"_L1, 1, limits::MaxEpochLength);
    m.you = r.identifier("you"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
    const V members = r.array("members"_L1, limits::MaxMembersPerWelcome);
    for (qsizetype i = 0; i < members.size(); ++i) {
        const QString path = r.path(u"members[%1]"_s.arg(i));
        if (!members.at(i).isObject())
            fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
        m.members.append(readMember(Reader<V>(members.at(i), path)));
    }
    m.acked = r.sequence("acked"_L1);
    m.head = r.sequence("head"_L1);
    m.snapshot = r.boolean("snapshot"_L1);
    m.hasPassword = r.boolean("hasPassword"_L1, false);
    m.rate = r.number("rate"_L1, 0, limits::MaxRate, 0);
    m.burst = r.integer("burst"_L1, 0, limits::MaxBurst, 0);
    m.opByteRate = r.number("opByteRate"_L1, 0, limits::MaxOpByteRate, 0);
    m.opByteBurst = r.size("opByteBurst"_L1, 0, limits::MaxOpByteBurst, 0);
    if (r.has("defaultRole"_L1))
        m.defaultRole = r.template choice<Role>("defaultRole"_L1, kRoles);
    m.locked = r.boolean("locked"_L1, false);
    return m;
}

void writeBody(QJsonObject &o, const Welcome &m)
{
    QJsonArray members;
    for (const Member &member : m.members)
        members.append(memberToJson(member));
    o.insert("protocol"_L1, m.protocol);
    o.insert("room"_L1, m.room);
    o.insert("epoch"_L1, m.epoch);
    o.insert("you"_L1, m.you);
    o.insert("members"_L1, members);
    o.insert("acked"_L1, double(m.acked));
    o.insert("head"_L1, double(m.head));
    o.insert("snapshot"_L1, m.snapshot);
    if (m.hasPassword)
        o.insert("hasPassword"_L1, true);
    if (m.rate > 0)
        o.insert("rate"_L1, m.rate);
    if (m.burst > 0)
        o.insert("burst"_L1, m.burst);
    if (m.opByteRate > 0)
        o.insert("opByteRate"_L1, m.opByteRate);
    if (m.opByteBurst > 0)
        o.insert("opByteBurst"_L1, double(m.opByteBurst));
    if (m.defaultRole != Role::Editor)
        o.insert("defaultRole"_L1, roleName(m.defaultRole));
    if (m.locked)
        o.insert("locked"_L1, true);
}

template<class V> Snapshot readSnapshot(const Reader<V> &r)
{
    Snapshot m;
    m.seq = r.sequence("seq"_L1);
    const V items = r.array("items"_L1, limits::MaxItemsPerSnapshotChunk);
    m.items.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString path = r.path(u"items[%1]"_s.arg(i));
        if (!items.at(i).isObject())
            fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
        m.items.append(readItem(Reader<V>(items.at(i), path), true));
    }
    return m;
}

void writeBody(QJsonObject &o, const Snapshot &m)
{
    QJsonArray items;
    for (const Item &item : m.items)
        items.append(itemToJson(item, true));
    o.insert("seq"_L1, double(m.seq));
    o.insert("items"_L1, items);
}

template<class V> Synced readSynced(const Reader<V> &r)
{
    return Synced {r.sequence("head"_L1)};
}
void writeBody(QJsonObject &o, const Synced &m)
{
    o.insert("head"_L1, double(m.head));
}

template<class V> Op readOp(const Reader<V> &r)
{
    Op m;
    m.kind = r.template choice<OpKind>("kind"_L1, kOpKinds);
    m.cseq = r.sequence("cseq"_L1);
    if (m.cseq == 0)
        fail(ErrorCode::OutOfRange, u"cseq"_s, u"field 'cseq' must be at least 1"_s);
    m.seq = r.sequence("seq"_L1, 0);
    m.client = optionalClient(r);
    m.author = r.string("author"_L1, limits::MaxNameLength, QString());
    m.time = qint64(r.number("time"_L1, 0, double(limits::MaxSequence), 0));
    switch (m.kind) {
    case OpKind::Add:
    case OpKind::Update:
        m.item = readItem(r.object("item"_L1), false);
        break;
    case OpKind::Move:
        m.dx = r.number("dx"_L1, -limits::MaxMoveDelta, limits::MaxMoveDelta);
        m.dy = r.number("dy"_L1, -limits::MaxMoveDelta, limits::MaxMoveDelta);
        [[fallthrough]];
    case OpKind::Remove: {
        const V ids = r.array("ids"_L1, limits::MaxIdsPerOp);
        if (ids.isEmpty())
            fail(ErrorCode::BadValue, u"ids"_s, u"field 'ids' must name at least one item"_s);
        m.ids.reserve(ids.size());
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QString path = u"ids[%1]"_s.arg(i);
            if (!ids.at(i).isString() || !isValidItemId(ids.at(i).toString()))
                fail(ErrorCode::BadValue, path, u"field '%1' must be an item id"_s.arg(path));
            m.ids.append(ids.at(i).toString());
        }
        break;
    }
    case OpKind::Restack: {
        const V ids = r.array("ids"_L1, limits::MaxIdsPerOp);
        const V z = r.array("z"_L1, limits::MaxIdsPerOp);
        if (ids.isEmpty())
            fail(ErrorCode::BadValue, u"ids"_s, u"field 'ids' must name at least one item"_s);
        if (z.size() != ids.size())
            fail(ErrorCode::BadValue, u"z"_s, u"field 'z' must hold one stacking order per item of 'ids'"_s);
        m.ids.reserve(ids.size());
        m.z.reserve(z.size());
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QString path = u"ids[%1]"_s.arg(i);
            if (!ids.at(i).isString() || !isValidItemId(ids.at(i).toString()))
                fail(ErrorCode::BadValue, path, u"field '%1' must be an item id"_s.arg(path));
            m.ids.append(ids.at(i).toString());
            m.z.append(Reader<V>::checkedStackOrder(z.at(i), u"z[%1]"_s.arg(i)));
        }
        break;
    }
    case OpKind::Clear:
    case OpKind::Lock:
    case OpKind::Unlock:
        break;
    case OpKind::Direct:
        m.target = r.identifier("target"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
        [[fallthrough]];
    case OpKind::Chat:
        m.text = r.string("text"_L1, limits::MaxChatLength);
        if (!text::hasVisibleCharacter(m.text) || hasControlCharacters(m.text, true))
            fail(ErrorCode::BadValue, u"text"_s, u"field 'text' must hold visible text without control characters"_s);
        break;
    case OpKind::SetRole:
        m.target = r.identifier("target"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
        m.role = r.template choice<Role>("role"_L1, kRoles);
        break;
    case OpKind::SetDefaultRole:
        m.role = r.template choice<Role>("role"_L1, kRoles);
        if (m.role == Role::Owner)
            fail(ErrorCode::BadValue, u"role"_s,
                 u"field 'role' must be editor or viewer: newcomers are never owners"_s);
        break;
    case OpKind::Kick:
        m.target = r.identifier("target"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
        m.ban = r.boolean("ban"_L1, false);
        break;
    case OpKind::Rollback: {
        m.target = r.identifier("target"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
        m.count = r.integer("count"_L1, 1, limits::MaxRollbackOps);
        if (r.has("undone"_L1))
            m.undone = r.integer("undone"_L1, 0, limits::MaxRollbackOps);
        // What the rollback does is the server's to write: ids to remove, then items to put back as they were.
        if (r.has("ids"_L1)) {
            const V ids = r.array("ids"_L1, limits::MaxIdsPerOp);
            for (qsizetype i = 0; i < ids.size(); ++i) {
                const QString path = u"ids[%1]"_s.arg(i);
                if (!ids.at(i).isString() || !isValidItemId(ids.at(i).toString()))
                    fail(ErrorCode::BadValue, path, u"field '%1' must be an item id"_s.arg(path));
                m.ids.append(ids.at(i).toString());
            }
        }
        if (r.has("items"_L1)) {
            const V items = r.array("items"_L1, limits::MaxIdsPerOp);
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString path = r.path(u"items[%1]"_s.arg(i));
                if (!items.at(i).isObject())
                    fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
                m.items.append(readItem(Reader<V>(items.at(i), path), true));
            }
        }
        break;
    }
    }
    return m;
}

void writeBody(QJsonObject &o, const Op &m)
{
    o.insert("kind"_L1, opKindName(m.kind));
    o.insert("cseq"_L1, double(m.cseq));
    if (m.seq)
        o.insert("seq"_L1, double(m.seq));
    insertIfSet(o, "client"_L1, m.client);
    insertIfSet(o, "author"_L1, m.author);
    if (m.time)
        o.insert("time"_L1, double(m.time));
    switch (m.kind) {
    case OpKind::Add:
    case OpKind::Update:
        o.insert("item"_L1, itemToJson(m.item, false));
        break;
    case OpKind::Move:
        o.insert("dx"_L1, m.dx);
        o.insert("dy"_L1, m.dy);
        [[fallthrough]];
    case OpKind::Remove:
        o.insert("ids"_L1, QJsonArray::fromStringList(m.ids));
        break;
    case OpKind::Restack: {
        o.insert("ids"_L1, QJsonArray::fromStringList(m.ids));
        QJsonArray z;
        for (qint64 value : m.z)
            z.append(double(value));
        o.insert("z"_L1, z);
        break;
    }
    case OpKind::Clear:
    case OpKind::Lock:
    case OpKind::Unlock:
        break;
    case OpKind::Direct:
        o.insert("target"_L1, m.target);
        [[fallthrough]];
    case OpKind::Chat:
        o.insert("text"_L1, m.text);
        break;
    case OpKind::SetRole:
        o.insert("target"_L1, m.target);
        [[fallthrough]];
    case OpKind::SetDefaultRole:
        o.insert("role"_L1, roleName(m.role));
        break;
    case OpKind::Kick:
        o.insert("target"_L1, m.target);
        if (m.ban)
            o.insert("ban"_L1, true);
        break;
    case OpKind::Rollback: {
        o.insert("target"_L1, m.target);
        o.insert("count"_L1, m.count);
        if (m.undone)
            o.insert("undone"_L1, *m.undone);
        if (!m.ids.isEmpty())
            o.insert("ids"_L1, QJsonArray::fromStringList(m.ids));
        if (!m.items.isEmpty()) {
            QJsonArray items;
            for (const Item &item : m.items)
                items.append(itemToJson(item, true));
            o.insert("items"_L1, items);
        }
        break;
    }
    }
}

template<class V> Ack readAck(const Reader<V> &r)
{
    return Ack {r.sequence("cseq"_L1), r.sequence("seq"_L1), r.boolean("duplicate"_L1, false),
                qint64(r.sequence("time"_L1, 0))};
}
void writeBody(QJsonObject &o, const Ack &m)
{
    o.insert("cseq"_L1, double(m.cseq));
    o.insert("seq"_L1, double(m.seq));
    if (m.duplicate)
        o.insert("duplicate"_L1, true);
    if (m.time > 0)
        o.insert("time"_L1, double(m.time));
}

template<class V> ErrorCode readErrorCode(const Reader<V> &r)
{
    const QString name = r.string("code"_L1, 64);
    // An unknown code from a newer peer is still an error; keep its meaning general.
    return errorCodeFromName(name).value_or(ErrorCode::Internal);
}

template<class V> Reject readReject(const Reader<V> &r)
{
    Reject m {r.sequence("cseq"_L1), readErrorCode(r), r.string("message"_L1, limits::MaxErrorMessageLength)};
    m.retry = r.boolean("retry"_L1, false);
    if (r.has("acked"_L1))
        m.acked = r.sequence("acked"_L1);
    return m;
}
void writeBody(QJsonObject &o, const Reject &m)
{
    o.insert("cseq"_L1, double(m.cseq));
    o.insert("code"_L1, errorCodeName(m.code));
    o.insert("message"_L1, m.message);
    if (m.retry)
        o.insert("retry"_L1, true);
    if (m.acked)
        o.insert("acked"_L1, double(*m.acked));
}

template<class V> Presence readPresence(const Reader<V> &r)
{
    return Presence {r.template choice<PresenceEvent>("event"_L1, kPresenceEvents), readMember(r.object("member"_L1))};
}
void writeBody(QJsonObject &o, const Presence &m)
{
    o.insert("event"_L1, presenceEventName(m.event));
    o.insert("member"_L1, memberToJson(m.member));
}

template<class V> Profile readProfile(const Reader<V> &r)
{
    Profile m {r.string("name"_L1, limits::MaxNameLength), r.colour("colour"_L1)};
    if (!isValidDisplayName(m.name))
        fail(ErrorCode::BadValue, u"name"_s, u"field 'name' must be 1 to 40 characters without control characters"_s);
    return m;
}
void writeBody(QJsonObject &o, const Profile &m)
{
    o.insert("name"_L1, m.name);
    o.insert("colour"_L1, colourToString(m.colour));
}

template<class V> Cursor readCursor(const Reader<V> &r)
{
    Cursor m;
    m.client = optionalClient(r);
    m.visible = r.boolean("visible"_L1, true);
    m.x =
        r.number("x"_L1, -limits::MaxCoordinate, limits::MaxCoordinate, m.visible ? std::nullopt : std::optional(0.0));
    m.y =
        r.number("y"_L1, -limits::MaxCoordinate, limits::MaxCoordinate, m.visible ? std::nullopt : std::optional(0.0));
    return m;
}
void writeBody(QJsonObject &o, const Cursor &m)
{
    insertIfSet(o, "client"_L1, m.client);
    o.insert("x"_L1, m.x);
    o.insert("y"_L1, m.y);
    if (!m.visible)
        o.insert("visible"_L1, false);
}

template<class V> Typing readTyping(const Reader<V> &r)
{
    return Typing {optionalClient(r), r.boolean("active"_L1)};
}
void writeBody(QJsonObject &o, const Typing &m)
{
    insertIfSet(o, "client"_L1, m.client);
    o.insert("active"_L1, m.active);
}

template<class V> Live readLive(const Reader<V> &r)
{
    Live m;
    m.client = optionalClient(r);
    m.id = r.identifier("id"_L1, 1, limits::MaxItemIdLength);
    m.kind = r.template choice<ItemKind>("kind"_L1, kItemKinds);
    m.colour = r.colour("colour"_L1);
    m.width = r.number("width"_L1, limits::MinWidth, limits::MaxWidth);
    m.from = quint32(r.integer("from"_L1, 0, limits::MaxPointsPerItem));
    m.points = r.points("points"_L1, limits::MaxPointsPerLive);
    if (qsizetype(m.from) + m.points.size() > limits::MaxPointsPerItem) {
        fail(ErrorCode::TooManyPoints, u"points"_s,
             u"a live stroke may have at most %1 points"_s.arg(limits::MaxPointsPerItem));
    }
    if (m.kind == ItemKind::Stroke && r.has("widths"_L1)) {
        m.widths = r.numbers("widths"_L1, limits::MaxPointsPerLive, limits::MinWidth, m.width);
        if (m.widths.size() != m.points.size())
            fail(ErrorCode::BadValue, r.path("widths"_L1), u"field 'widths' must have one width for each point"_s);
    }
    if ((m.kind == ItemKind::Rect || m.kind == ItemKind::Ellipse) && r.has("fill"_L1))
        m.fill = r.colour("fill"_L1);
    readStyle(r, m);
    m.end = r.boolean("end"_L1, false);
    return m;
}
void writeBody(QJsonObject &o, const Live &m)
{
    insertIfSet(o, "client"_L1, m.client);
    o.insert("id"_L1, m.id);
    o.insert("kind"_L1, itemKindName(m.kind));
    o.insert("colour"_L1, colourToString(m.colour));
    o.insert("width"_L1, m.width);
    o.insert("from"_L1, double(m.from));
    o.insert("points"_L1, pointsToJson(m.points));
    if (!m.widths.isEmpty())
        o.insert("widths"_L1, widthsToJson(m.widths));
    if (m.fill)
        o.insert("fill"_L1, colourToString(*m.fill));
    writeStyle(o, m);
    if (m.end)
        o.insert("end"_L1, true);
}

template<class V> View readView(const Reader<V> &r)
{
    View m;
    m.client = optionalClient(r);
    m.x = r.number("x"_L1, -limits::MaxCoordinate, limits::MaxCoordinate);
    m.y = r.number("y"_L1, -limits::MaxCoordinate, limits::MaxCoordinate);
    m.w = r.number("w"_L1, limits::MinViewSize, limits::MaxViewSize);
    m.h = r.number("h"_L1, limits::MinViewSize, limits::MaxViewSize);
    return m;
}
void writeBody(QJsonObject &o, const View &m)
{
    insertIfSet(o, "client"_L1, m.client);
    o.insert("x"_L1, m.x);
    o.insert("y"_L1, m.y);
    o.insert("w"_L1, m.w);
    o.insert("h"_L1, m.h);
}

template<class V> Laser readLaser(const Reader<V> &r)
{
    Laser m;
    m.client = optionalClient(r);
    m.end = r.boolean("end"_L1, false);
    m.points = r.has("points"_L1) || !m.end ? r.points("points"_L1, limits::MaxPointsPerLaser) : QList<QPointF>();
    if (m.points.isEmpty() && !m.end)
        fail(ErrorCode::BadValue, u"points"_s, u"field 'points' must hold at least one point unless 'end' is true"_s);
    return m;
}
void writeBody(QJsonObject &o, const Laser &m)
{
    insertIfSet(o, "client"_L1, m.client);
    o.insert("points"_L1, pointsToJson(m.points));
    if (m.end)
        o.insert("end"_L1, true);
}

template<class V> Summon readSummon(const Reader<V> &r)
{
    return Summon {optionalClient(r), r.boolean("active"_L1, true)};
}
void writeBody(QJsonObject &o, const Summon &m)
{
    insertIfSet(o, "client"_L1, m.client);
    if (!m.active)
        o.insert("active"_L1, false);
}

template<class V> Error readError(const Reader<V> &r)
{
    Error m;
    m.code = readErrorCode(r);
    m.message = r.string("message"_L1, limits::MaxErrorMessageLength);
    m.field = r.string("field"_L1, 256, QString());
    m.fatal = r.boolean("fatal"_L1, false);
    return m;
}
void writeBody(QJsonObject &o, const Error &m)
{
    o.insert("code"_L1, errorCodeName(m.code));
    o.insert("message"_L1, m.message.left(limits::MaxErrorMessageLength));
    insertIfSet(o, "field"_L1, m.field.left(256));
    if (m.fatal)
        o.insert("fatal"_L1, true);
}

template<class V> ListRooms readListRooms(const Reader<V> &r)
{
    return ListRooms {r.string("token"_L1, limits::MaxTokenLength, QString())};
}
void writeBody(QJsonObject &o, const ListRooms &m)
{
    insertIfSet(o, "token"_L1, m.token);
}

template<class V> RoomList readRoomList(const Reader<V> &r)
{
    RoomList m;
    const V rooms = r.array("rooms"_L1, limits::MaxRoomsListed);
    for (qsizetype i = 0; i < rooms.size(); ++i) {
        const QString path = r.path(u"rooms[%1]"_s.arg(i));
        if (!rooms.at(i).isObject())
            fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
        const Reader<V> room(rooms.at(i), path);
        RoomInfo info;
        info.name = room.string("name"_L1, limits::MaxRoomLength);
        if (!isValidRoomName(info.name)) {
            fail(ErrorCode::BadValue, room.path(u"name"_s),
                 u"field '%1' must be 1 to 64 characters without control characters"_s.arg(room.path(u"name"_s)));
        }
        info.members = room.integer("members"_L1, 0, limits::MaxMembersPerWelcome);
        info.password = room.boolean("password"_L1, false);
        m.rooms.append(info);
    }
    return m;
}
void writeBody(QJsonObject &o, const RoomList &m)
{
    QJsonArray rooms;
    for (const RoomInfo &room : m.rooms) {
        QJsonObject entry {{"name"_L1, room.name}, {"members"_L1, room.members}};
        if (room.password)
            entry.insert("password"_L1, true);
        rooms.append(entry);
    }
    o.insert("rooms"_L1, rooms);
}

template<class V> BlobOffer readBlobOffer(const Reader<V> &r)
{
    BlobOffer m;
    m.hash = r.blobHash("hash"_L1);
    m.size = r.size("size"_L1, 1, limits::MaxBlobBytes * 1024);
    return m;
}
void writeBody(QJsonObject &o, const BlobOffer &m)
{
    o.insert("hash"_L1, m.hash);
    o.insert("size"_L1, double(m.size));
}

template<class V> BlobPut readBlobPut(const Reader<V> &r)
{
    BlobPut m;
    m.hash = r.blobHash("hash"_L1);
    m.size = r.size("size"_L1, 1, limits::MaxBlobBytes * 1024);
    m.offset = r.size("offset"_L1, 0, m.size - 1);
    m.data = r.base64("data"_L1, limits::MaxBlobChunkBytes);
    if (m.offset + m.data.size() > m.size)
        fail(ErrorCode::OutOfRange, r.path("data"_L1), u"field 'data' ends past the blob's size"_s);
    return m;
}
void writeBody(QJsonObject &o, const BlobPut &m)
{
    o.insert("hash"_L1, m.hash);
    o.insert("size"_L1, double(m.size));
    o.insert("offset"_L1, double(m.offset));
    o.insert("data"_L1, QString::fromLatin1(m.data.toBase64()));
}

template<class V> BlobStatus readBlobStatus(const Reader<V> &r)
{
    BlobStatus m;
    m.hash = r.blobHash("hash"_L1);
    m.size = r.size("size"_L1, 0, limits::MaxBlobBytes * 1024);
    m.have = r.size("have"_L1, 0, m.size);
    if (r.has("code"_L1)) {
        const QString name = r.string("code"_L1, 64);
        m.code = errorCodeFromName(name);
        if (!m.code)
            fail(ErrorCode::BadValue, u"code"_s, u"unknown error code '%1'"_s.arg(name));
        m.message = r.string("message"_L1, limits::MaxErrorMessageLength, QString());
    }
    m.retry = r.boolean("retry"_L1, false);
    return m;
}
void writeBody(QJsonObject &o, const BlobStatus &m)
{
    o.insert("hash"_L1, m.hash);
    o.insert("size"_L1, double(m.size));
    o.insert("have"_L1, double(m.have));
    if (m.code) {
        o.insert("code"_L1, errorCodeName(*m.code));
        o.insert("message"_L1, m.message.left(limits::MaxErrorMessageLength));
    }
    if (m.retry)
        o.insert("retry"_L1, true);
}

template<class V> BlobGet readBlobGet(const Reader<V> &r)
{
    BlobGet m;
    m.hash = r.blobHash("hash"_L1);
    m.offset = r.size("offset"_L1, 0, limits::MaxBlobBytes * 1024, 0);
    return m;
}
void writeBody(QJsonObject &o, const BlobGet &m)
{
    o.insert("hash"_L1, m.hash);
    if (m.offset)
        o.insert("offset"_L1, double(m.offset));
}

template<class V> BlobData readBlobData(const Reader<V> &r)
{
    BlobData m;
    m.hash = r.blobHash("hash"_L1);
    m.size = r.size("size"_L1, 1, limits::MaxBlobBytes * 1024);
    m.offset = r.size("offset"_L1, 0, m.size - 1);
    m.data = r.base64("data"_L1, limits::MaxBlobChunkBytes);
    if (m.offset + m.data.size() > m.size)
        fail(ErrorCode::OutOfRange, r.path("data"_L1), u"field 'data' ends past the blob's size"_s);
    return m;
}
void writeBody(QJsonObject &o, const BlobData &m)
{
    o.insert("hash"_L1, m.hash);
    o.insert("size"_L1, double(m.size));
    o.insert("offset"_L1, double(m.offset));
    o.insert("data"_L1, QString::fromLatin1(m.data.toBase64()));
}

template<class V> History readHistory(const Reader<V> &r)
{
    History m;
    if (r.has("after"_L1))
        m.after = r.sequence("after"_L1);
    m.part = r.integer("part"_L1, 0, limits::MaxHistoryParts - 1, 0);
    m.limit = r.integer("limit"_L1, 1, limits::MaxOpsPerHistoryPage, limits::MaxOpsPerHistoryPage);
    return m;
}
void writeBody(QJsonObject &o, const History &m)
{
    if (m.after)
        o.insert("after"_L1, double(*m.after));
    if (m.part)
        o.insert("part"_L1, m.part);
    if (m.limit != limits::MaxOpsPerHistoryPage)
        o.insert("limit"_L1, m.limit);
}

template<class V> HistoryPage readHistoryPage(const Reader<V> &r)
{
    HistoryPage m;
    m.base = r.sequence("base"_L1);
    m.head = r.sequence("head"_L1);
    m.parts = r.integer("parts"_L1, 0, limits::MaxHistoryParts, 0);
    m.part = r.integer("part"_L1, 0, limits::MaxHistoryParts - 1, 0);
    m.last = r.sequence("last"_L1, 0);
    if (r.has("code"_L1)) {
        m.code = readErrorCode(r);
        m.message = r.string("message"_L1, limits::MaxErrorMessageLength, QString());
        m.retry = r.boolean("retry"_L1, false);
    }
    if (r.has("items"_L1)) {
        const V items = r.array("items"_L1, limits::MaxOpsPerHistoryPage);
        m.items.reserve(items.size());
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString path = r.path(u"items[%1]"_s.arg(i));
            if (!items.at(i).isObject())
                fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
            m.items.append(readItem(Reader<V>(items.at(i), path), true));
        }
    }
    if (r.has("ops"_L1)) {
        const V ops = r.array("ops"_L1, limits::MaxOpsPerHistoryPage);
        m.ops.reserve(ops.size());
        quint64 previous = 0;
        for (qsizetype i = 0; i < ops.size(); ++i) {
            const QString path = r.path(u"ops[%1]"_s.arg(i));
            if (!ops.at(i).isObject())
                fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
            Op op = readOp(Reader<V>(ops.at(i), path));
            // The log's order is the point of a history: every op is after the one before it and within the page.
            if (op.seq <= previous || (m.last && op.seq > m.last)) {
                fail(ErrorCode::OutOfRange, path + u".seq"_s,
                     u"field '%1.seq' must be above the previous op's and at most 'last'"_s.arg(path));
            }
            previous = op.seq;
            m.ops.append(std::move(op));
        }
    }
    if (m.last > m.head)
        fail(ErrorCode::OutOfRange, u"last"_s, u"field 'last' must be at most 'head'"_s);
    return m;
}
void writeBody(QJsonObject &o, const HistoryPage &m)
{
    o.insert("base"_L1, double(m.base));
    o.insert("head"_L1, double(m.head));
    if (m.parts)
        o.insert("parts"_L1, m.parts);
    if (m.part)
        o.insert("part"_L1, m.part);
    if (m.last)
        o.insert("last"_L1, double(m.last));
    if (m.code) {
        o.insert("code"_L1, errorCodeName(*m.code));
        o.insert("message"_L1, m.message.left(limits::MaxErrorMessageLength));
        if (m.retry)
            o.insert("retry"_L1, true);
        return;
    }
    QJsonArray items;
    for (const Item &item : m.items)
        items.append(itemToJson(item, true));
    o.insert("items"_L1, items);
    QJsonArray ops;
    for (const Op &op : m.ops) {
        QJsonObject body;
        writeBody(body, op);
        ops.append(body);
    }
    o.insert("ops"_L1, ops);
}

// ---- handing a room over ----

template<class V> Handover readHandover(const Reader<V> &r)
{
    return Handover {r.identifier("target"_L1, limits::MinClientIdLength, limits::MaxClientIdLength)};
}
void writeBody(QJsonObject &o, const Handover &m)
{
    o.insert("target"_L1, m.target);
}

//! A SHA-256 (32 bytes) written as 64 lower-case hex digits; empty when absent.
template<class V> QByteArray readSha256(const Reader<V> &r, QLatin1StringView key)
{
    if (!r.has(key))
        return {};
    const QString hex = r.string(key, limits::BlobHashLength);
    if (!isValidBlobHash(hex))
        fail(ErrorCode::BadValue, r.path(key), u"field '%1' must be 64 lower-case hex digits"_s.arg(r.path(key)));
    return QByteArray::fromHex(hex.toLatin1());
}

//! A list of objects, each read by read, at most max of them.
template<class V, class T, class Read>
QList<T> readList(const Reader<V> &r, QLatin1StringView key, qsizetype max, Read read)
{
    QList<T> out;
    if (!r.has(key))
        return out;
    const V list = r.array(key, max);
    out.reserve(list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = r.path(u"%1[%2]"_s.arg(key).arg(i));
        if (!list.at(i).isObject())
            fail(ErrorCode::WrongType, path, u"field '%1' must be an object"_s.arg(path));
        out.append(read(Reader<V>(list.at(i), path)));
    }
    return out;
}

template<class V> ReplicaClient readReplicaClient(const Reader<V> &r)
{
    ReplicaClient c;
    c.client = r.identifier("client"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
    c.cseq = r.sequence("cseq"_L1, 0);
    c.seq = r.sequence("seq"_L1, 0);
    c.item = r.sequence("item"_L1, 0);
    c.secret = readSha256(r, "secret"_L1);
    if (r.has("role"_L1))
        c.role = r.template choice<Role>("role"_L1, kRoles);
    c.banned = r.boolean("banned"_L1, false);
    return c;
}

template<class V> Replica readReplica(const Reader<V> &r)
{
    Replica m;
    m.reset = r.boolean("reset"_L1, false);
    m.epoch = r.identifier("epoch"_L1, 1, limits::MaxEpochLength);
    m.head = r.sequence("head"_L1);
    if (m.reset) {
        m.room = r.string("room"_L1, limits::MaxRoomLength);
        if (!isValidRoomName(m.room))
            fail(ErrorCode::BadValue, u"room"_s,
                 u"field 'room' must be 1 to 64 characters without control characters"_s);
        if (r.has("password"_L1)) {
            const Reader<V> password = r.object("password"_L1);
            m.passwordSalt = password.base64("salt"_L1, 64);
            m.passwordHash = password.base64("hash"_L1, 64);
            m.passwordIterations = password.integer("iterations"_L1, 1, 100000000);
        }
    }
    m.defaultRole = r.template choice<Role>("defaultRole"_L1, kRoles);
    if (m.defaultRole == Role::Owner)
        fail(ErrorCode::BadValue, u"defaultRole"_s, u"field 'defaultRole' must be \"editor\" or \"viewer\""_s);
    m.locked = r.boolean("locked"_L1, false);
    m.items = readList<V, Item>(r, "items"_L1, limits::MaxItemsPerSnapshotChunk,
                                [](const Reader<V> &item) { return readItem(item, true); });
    m.chat = readList<V, Op>(r, "chat"_L1, limits::MaxReplicaEntries, [](const Reader<V> &op) { return readOp(op); });
    m.clients = readList<V, ReplicaClient>(r, "clients"_L1, limits::MaxReplicaEntries,
                                           [](const Reader<V> &c) { return readReplicaClient(c); });
    m.ops = readList<V, Op>(r, "ops"_L1, limits::MaxReplicaEntries, [](const Reader<V> &op) { return readOp(op); });
    m.complete = r.boolean("complete"_L1, false);
    if (r.has("blob"_L1))
        m.blob = readBlobData(r.object("blob"_L1));
    for (qsizetype i = 0; i < m.chat.size(); ++i) {
        if (!isMessageOp(m.chat.at(i).kind) || m.chat.at(i).seq == 0 || m.chat.at(i).seq > m.head)
            fail(ErrorCode::BadValue, u"chat[%1]"_s.arg(i), u"a replica's chat holds chat ops of the log only"_s);
    }
    // The ops continue the log without a gap and end at head.
    for (qsizetype i = 0; i < m.ops.size(); ++i) {
        const quint64 expected = m.head - quint64(m.ops.size() - 1 - i);
        if (m.ops.size() > qsizetype(m.head) || m.ops.at(i).seq != expected || m.ops.at(i).client.isEmpty()) {
            fail(ErrorCode::OutOfRange, u"ops[%1].seq"_s.arg(i),
                 u"a replica's ops follow each other without a gap and end at 'head'"_s);
        }
    }
    return m;
}
void writeBody(QJsonObject &o, const Replica &m)
{
    if (m.reset)
        o.insert("reset"_L1, true);
    o.insert("epoch"_L1, m.epoch);
    o.insert("head"_L1, double(m.head));
    if (m.reset) {
        o.insert("room"_L1, m.room);
        if (!m.passwordHash.isEmpty()) {
            o.insert("password"_L1,
                     QJsonObject {{"salt"_L1, QString::fromLatin1(m.passwordSalt.toBase64())},
                                  {"hash"_L1, QString::fromLatin1(m.passwordHash.toBase64())},
                                  {"iterations"_L1, m.passwordIterations}});
        }
    }
    o.insert("defaultRole"_L1, roleName(m.defaultRole));
    if (m.locked)
        o.insert("locked"_L1, true);
    if (!m.items.isEmpty()) {
        QJsonArray items;
        for (const Item &item : m.items)
            items.append(itemToJson(item, true));
        o.insert("items"_L1, items);
    }
    const auto opsToJson = [](const QList<Op> &ops) {
        QJsonArray out;
        for (const Op &op : ops) {
            QJsonObject body;
            writeBody(body, op);
            out.append(body);
        }
        return out;
    };
    if (!m.chat.isEmpty())
        o.insert("chat"_L1, opsToJson(m.chat));
    if (!m.clients.isEmpty()) {
        QJsonArray clients;
        for (const ReplicaClient &c : m.clients) {
            QJsonObject entry {{"client"_L1, c.client}};
            if (c.cseq)
                entry.insert("cseq"_L1, double(c.cseq));
            if (c.seq)
                entry.insert("seq"_L1, double(c.seq));
            if (c.item)
                entry.insert("item"_L1, double(c.item));
            if (!c.secret.isEmpty())
                entry.insert("secret"_L1, QString::fromLatin1(c.secret.toHex()));
            if (c.role)
                entry.insert("role"_L1, roleName(*c.role));
            if (c.banned)
                entry.insert("banned"_L1, true);
            clients.append(entry);
        }
        o.insert("clients"_L1, clients);
    }
    if (!m.ops.isEmpty())
        o.insert("ops"_L1, opsToJson(m.ops));
    if (m.complete)
        o.insert("complete"_L1, true);
    if (m.blob) {
        QJsonObject blob;
        writeBody(blob, *m.blob);
        o.insert("blob"_L1, blob);
    }
}

template<class V> ReplicaAck readReplicaAck(const Reader<V> &r)
{
    return ReplicaAck {r.sequence("seq"_L1)};
}
void writeBody(QJsonObject &o, const ReplicaAck &m)
{
    o.insert("seq"_L1, double(m.seq));
}

template<class V> QString readMoveUrl(const Reader<V> &r)
{
    QString url = r.string("url"_L1, limits::MaxUrlLength);
    if (!isValidMoveUrl(url))
        fail(ErrorCode::BadValue, u"url"_s, u"field 'url' must be ws://HOST:PORT or wss://HOST:PORT"_s);
    return url;
}

template<class V> QString readFingerprint(const Reader<V> &r)
{
    QString fp = r.string("fp"_L1, 128, QString());
    if (!fp.isEmpty() && normaliseFingerprint(fp).isEmpty())
        fail(ErrorCode::BadValue, u"fp"_s, u"field 'fp' must be a SHA-256 fingerprint"_s);
    return fp.isEmpty() ? fp : normaliseFingerprint(fp);
}

template<class V> Standby readStandby(const Reader<V> &r)
{
    Standby m;
    m.client = optionalClient(r);
    if (!m.client.isEmpty()) {
        m.name = r.string("name"_L1, limits::MaxNameLength);
        m.url = readMoveUrl(r);
    }
    m.fp = readFingerprint(r);
    m.port = r.integer("port"_L1, 0, 65535, 0);
    return m;
}
void writeBody(QJsonObject &o, const Standby &m)
{
    insertIfSet(o, "client"_L1, m.client);
    insertIfSet(o, "name"_L1, m.name);
    insertIfSet(o, "url"_L1, m.url);
    insertIfSet(o, "fp"_L1, m.fp);
    if (m.port)
        o.insert("port"_L1, m.port);
}

template<class V> Moved readMoved(const Reader<V> &r)
{
    Moved m;
    m.client = r.identifier("client"_L1, limits::MinClientIdLength, limits::MaxClientIdLength);
    m.name = r.string("name"_L1, limits::MaxNameLength);
    m.url = readMoveUrl(r);
    m.fp = readFingerprint(r);
    return m;
}
void writeBody(QJsonObject &o, const Moved &m)
{
    o.insert("client"_L1, m.client);
    o.insert("name"_L1, m.name);
    o.insert("url"_L1, m.url);
    insertIfSet(o, "fp"_L1, m.fp);
}

template<class V> Message readBody(MessageType type, const Reader<V> &r)
{
    switch (type) {
#define INKROOM_X(name, wire)                                                                                          \
    case MessageType::name:                                                                                            \
        return read##name(r);
        INKROOM_MESSAGE_TYPES(INKROOM_X)
#undef INKROOM_X
    }
    fail(ErrorCode::UnknownType, u"type"_s, u"unknown message type"_s);
}

template<class V> DecodeResult readMessage(const Reader<V> &reader)
{
    try {
        const QString typeName = reader.string("type"_L1, 32);
        const auto type = messageTypeFromName(typeName);
        if (!type)
            fail(ErrorCode::UnknownType, u"type"_s, u"unknown message type '%1'"_s.arg(typeName));
        return readBody(*type, reader);
    } catch (const DecodeFailure &failure) {
        return failure.error;
    }
}

} // namespace

bool isValidMoveUrl(QStringView text)
{
    if (text.isEmpty() || text.size() > limits::MaxUrlLength)
        return false;
    const QUrl url(text.toString(), QUrl::StrictMode);
    return url.isValid() && (url.scheme() == "ws"_L1 || url.scheme() == "wss"_L1) && !url.host().isEmpty()
        && url.port() > 0 && url.userInfo().isEmpty() && (url.path().isEmpty() || url.path() == "/"_L1)
        && !url.hasQuery() && !url.hasFragment();
}

QString messageTypeName(MessageType type)
{
    return kTypes[int(type)].name;
}

std::optional<MessageType> messageTypeFromName(QStringView name)
{
    return entryFromName(kTypes, name);
}

QString errorCodeName(ErrorCode code)
{
    return kErrors[int(code)].name;
}
QString errorCodeDescription(ErrorCode code)
{
    return kErrors[int(code)].text;
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    return entryFromName(kErrors, name);
}

QString colourToString(Colour colour)
{
    if ((colour >> 24) == 0xff)
        return u'#' + QString::number(colour & 0xffffff, 16).rightJustified(6, u'0');
    return u'#' + QString::number(colour, 16).rightJustified(8, u'0');
}

std::optional<Colour> colourFromString(QStringView text)
{
    if ((text.size() != 7 && text.size() != 9) || text.front() != u'#')
        return std::nullopt;
    Colour value = 0;
    for (QChar c : text.mid(1)) {
        const char16_t u = c.unicode();
        Colour digit = 0;
        if (u >= u'0' && u <= u'9')
            digit = u - u'0';
        else if (u >= u'a' && u <= u'f')
            digit = u - u'a' + 10;
        else if (u >= u'A' && u <= u'F')
            digit = u - u'A' + 10;
        else
            return std::nullopt;
        value = (value << 4) | digit;
    }
    if (text.size() == 7)
        value |= 0xff000000u;
    return value;
}

QString itemKindName(ItemKind kind)
{
    return kItemKinds[int(kind)];
}
std::optional<ItemKind> itemKindFromName(QStringView name)
{
    return enumFromName<ItemKind>(kItemKinds, name);
}
QString dashName(Dash dash)
{
    return kDashes[int(dash)];
}
std::optional<Dash> dashFromName(QStringView name)
{
    return enumFromName<Dash>(kDashes, name);
}
QString headsName(Heads heads)
{
    return kHeads[int(heads)];
}
std::optional<Heads> headsFromName(QStringView name)
{
    return enumFromName<Heads>(kHeads, name);
}
QString roleName(Role role)
{
    return kRoles[int(role)];
}
std::optional<Role> roleFromName(QStringView name)
{
    return enumFromName<Role>(kRoles, name);
}

QString opKindName(OpKind kind)
{
    return kOpKinds[int(kind)];
}
std::optional<OpKind> opKindFromName(QStringView name)
{
    return enumFromName<OpKind>(kOpKinds, name);
}
QString presenceEventName(PresenceEvent event)
{
    return kPresenceEvents[int(event)];
}
std::optional<PresenceEvent> presenceEventFromName(QStringView name)
{
    return enumFromName<PresenceEvent>(kPresenceEvents, name);
}

bool Item::operator==(const Item &other) const
{
    if (id != other.id || kind != other.kind || colour != other.colour || fill != other.fill || width != other.width
        || text != other.text || blob != other.blob || bytes != other.bytes || z != other.z
        || points.size() != other.points.size() || opacity != other.opacity || dash != other.dash
        || heads != other.heads || widths != other.widths) {
        return false;
    }
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (points[i].x() != other.points[i].x() || points[i].y() != other.points[i].y())
            return false;
    }
    return true;
}

MessageType typeOf(const Message &message)
{
    return MessageType(message.index());
}

bool isValidClientId(QStringView id)
{
    return isIdString(id, limits::MinClientIdLength, limits::MaxClientIdLength);
}
bool isValidBlobHash(QStringView hash)
{
    return hash.size() == limits::BlobHashLength && std::all_of(hash.begin(), hash.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
           });
}

QString blobHashOf(QByteArrayView bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

bool isValidItemId(QStringView id)
{
    return isIdString(id, 1, limits::MaxItemIdLength);
}

bool isValidSecret(QStringView secret)
{
    if (secret.size() < limits::MinSecretLength || secret.size() > limits::MaxSecretLength)
        return false;
    return std::all_of(secret.begin(), secret.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'-'
            || u == u'_';
    });
}

QString makeItemId(const QString &client, quint64 number)
{
    return client + u':' + QString::number(number);
}

std::optional<ItemIdParts> splitItemId(QStringView id)
{
    const qsizetype colon = id.lastIndexOf(u':');
    if (colon < 0 || !isValidClientId(id.left(colon)))
        return std::nullopt;
    const QStringView digits = id.mid(colon + 1);
    // Plain decimal: no sign, no leading zero, at most 16 digits (2^53 has 16).
    if (digits.isEmpty() || digits.size() > 16 || digits.front() == u'0')
        return std::nullopt;
    quint64 number = 0;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        number = number * 10 + quint64(c.unicode() - u'0');
    }
    if (number > limits::MaxSequence)
        return std::nullopt;
    return ItemIdParts {id.left(colon), number};
}

bool isOwnItemId(QStringView id, QStringView client)
{
    return !client.isEmpty() && id.size() > client.size() && id.startsWith(client) && id[client.size()] == u':';
}

bool isValidRoomName(QStringView room)
{
    return room.size() <= limits::MaxRoomLength && !hasControlCharacters(room, false)
        && text::hasVisibleCharacter(room);
}

bool isValidDisplayName(QStringView name)
{
    // A name must show something, and must not reorder what is shown around it (U+202E turns "Ann" into "nnA").
    return name.size() <= limits::MaxNameLength && !hasControlCharacters(name, false) && text::hasVisibleCharacter(name)
        && !text::hasBidiControl(name);
}

std::optional<DecodeError> validateItem(const Item &item, const QString &field)
{
    const auto sub = [&field](const char *key) {
        return field.isEmpty() ? QString::fromLatin1(key) : field + u'.' + QLatin1StringView(key);
    };
    const auto error = [&sub](ErrorCode code, const char *key, const QString &text) {
        return DecodeError {code, sub(key), u"field '%1': %2"_s.arg(sub(key), text)};
    };
    if (!isValidItemId(item.id))
        return error(ErrorCode::BadValue, "id", u"an item id must be 1 to 100 characters of A-Z a-z 0-9 - _ : ."_s);
    if (!std::isfinite(item.width) || item.width < limits::MinWidth || item.width > limits::MaxWidth)
        return error(ErrorCode::OutOfRange, "width", u"width must be between 0.1 and 500"_s);
    if (item.points.size() > limits::MaxPointsPerItem)
        return error(ErrorCode::TooManyPoints, "points", u"an item may have at most 10000 points"_s);
    for (const QPointF &p : item.points) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || std::abs(p.x()) > limits::MaxCoordinate
            || std::abs(p.y()) > limits::MaxCoordinate) {
            return error(ErrorCode::OutOfRange, "points", u"points must be finite and within 1e6 of the origin"_s);
        }
    }
    if (!std::isfinite(item.opacity) || item.opacity < limits::MinOpacity || item.opacity > limits::MaxOpacity)
        return error(ErrorCode::OutOfRange, "opacity", u"opacity must be between 0.1 and 1"_s);
    if (!item.widths.isEmpty()) {
        if (item.kind != ItemKind::Stroke)
            return error(ErrorCode::BadValue, "widths", u"only a stroke has a width at each point"_s);
        if (item.widths.size() != item.points.size())
            return error(ErrorCode::BadValue, "widths", u"widths must have one width for each point"_s);
        for (double w : item.widths) {
            if (!std::isfinite(w) || w < limits::MinWidth || w > item.width)
                return error(ErrorCode::OutOfRange, "widths", u"each width must be between 0.1 and the item's width"_s);
        }
    }
    qsizetype wanted = 0; // 0: one or more
    switch (item.kind) {
    case ItemKind::Stroke:
        break;
    case ItemKind::Line:
    case ItemKind::Arrow:
    case ItemKind::Rect:
    case ItemKind::Ellipse:
    case ItemKind::Image:
        wanted = 2;
        break;
    case ItemKind::Text:
        wanted = 1;
        break;
    }
    if (wanted ? item.points.size() != wanted : item.points.isEmpty()) {
        return error(ErrorCode::BadValue, "points",
                     wanted ? u"a %1 needs exactly %2 points"_s.arg(itemKindName(item.kind)).arg(wanted)
                            : u"a stroke needs at least one point"_s);
    }
    if (item.kind == ItemKind::Text) {
        if (item.text.size() > limits::MaxTextItemLength)
            return error(ErrorCode::TooLong, "text", u"a text item may hold at most 10000 characters"_s);
        if (hasControlCharacters(item.text, true))
            return error(ErrorCode::BadValue, "text", u"text may not contain control characters"_s);
    }
    if (item.kind == ItemKind::Image) {
        if (!isValidBlobHash(item.blob))
            return error(ErrorCode::BadValue, "blob",
                         u"an image's blob must be a SHA-256 in 64 lower-case hex digits"_s);
        if (item.bytes < 1 || item.bytes > limits::MaxBlobBytes)
            return error(ErrorCode::OutOfRange, "bytes", u"an image has 1 to %1 bytes"_s.arg(limits::MaxBlobBytes));
        const QPointF size = item.points.at(1) - item.points.at(0);
        if (size.x() == 0 || size.y() == 0)
            return error(ErrorCode::BadValue, "points", u"an image must have a width and a height"_s);
    }
    return std::nullopt;
}

DecodeResult decode(QByteArrayView bytes, qint64 maxBytes)
{
    if (bytes.size() > maxBytes) {
        return DecodeError {ErrorCode::TooLong, QString(),
                            u"the message is %1 bytes; at most %2 are allowed"_s.arg(bytes.size()).arg(maxBytes)};
    }
    // The fast parser reads every message a peer of ours writes; whatever it refuses, QJsonDocument decides, with
    // the same errors as always. Both give the reader the same values for what both accept.
    thread_local json::Document fast;
    const bool parsed = fast.parse(bytes);
    if (parsed) {
        DecodeResult result = readMessage(Reader<json::Value>(fast.root(), QString()));
        fast.trim();
        return result;
    }
    fast.trim();
    return decodeWithQJsonDocument(bytes, maxBytes);
}

DecodeResult decodeWithQJsonDocument(QByteArrayView bytes, qint64 maxBytes)
{
    if (bytes.size() > maxBytes) {
        return DecodeError {ErrorCode::TooLong, QString(),
                            u"the message is %1 bytes; at most %2 are allowed"_s.arg(bytes.size()).arg(maxBytes)};
    }
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return DecodeError {ErrorCode::BadJson, QString(),
                            u"not valid JSON at byte %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())};
    }
    if (!document.isObject())
        return DecodeError {ErrorCode::BadJson, QString(), u"a message must be a JSON object"_s};
    return readMessage(Reader<QtValue>(QJsonValue(document.object()), QString()));
}

namespace {

/** Append value as encode() writes a number: the bytes QJsonDocument's compact form has for it (the shortest that
 *  reads back as the same double; null when it is not finite). */
void appendJsonNumber(QByteArray &out, double value)
{
    // Coordinates and widths are mostly whole numbers of ten-thousandths from 1 to 100,000 (either sign): for those
    // the shortest form that reads back as the same double is the decimal one, with at most 4 decimals and no
    // trailing zeros, which is what QJsonDocument writes too (tst_shared_protocol compares the two). Anything else
    // goes the slow way.
    // Between -1 and 1 QJsonDocument may choose the exponent form (1e-04): those go the slow way too.
    if (value > -1e5 && value < 1e5 && (value >= 1 || value <= -1 || (value == 0 && !std::signbit(value)))) {
        const long long scaled = std::llround(value * 10000.0);
        if (double(scaled) / 10000.0 == value) {
            char digits[24];
            char *end = digits + sizeof digits;
            char *p = end;
            unsigned long long magnitude =
                scaled < 0 ? 0ULL - static_cast<unsigned long long>(scaled) : static_cast<unsigned long long>(scaled);
            unsigned fraction = unsigned(magnitude % 10000);
            magnitude /= 10000;
            if (fraction != 0) {
                int places = 4;
                while (fraction % 10 == 0) {
                    fraction /= 10;
                    --places;
                }
                for (int i = 0; i < places; ++i) {
                    *--p = char('0' + fraction % 10);
                    fraction /= 10;
                }
                *--p = '.';
            }
            do {
                *--p = char('0' + magnitude % 10);
                magnitude /= 10;
            } while (magnitude != 0);
            if (scaled < 0)
                *--p = '-';
            out.append(p, end - p);
            return;
        }
    }
    // QJsonDocument's own rules (integers as integers, exponents where they are shorter, null for what is not finite).
    const QByteArray array = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
    out.append(array.constData() + 1, array.size() - 2);
}

/** bytes with the k-th empty "points" (or "widths") array filled with arrays[k]. Only the key can be followed by :[]
 *  in them: a quote inside a string is always escaped. Empty when they do not match (never expected). */
QByteArray withPoints(const QByteArray &bytes, const QList<DirectArray> &arrays)
{
    constexpr QByteArrayView emptyPoints("\"points\":[]");
    constexpr QByteArrayView emptyWidths("\"widths\":[]");
    qsizetype size = bytes.size();
    for (const DirectArray &array : arrays)
        size += array.points ? array.points->size() * 16 : array.numbers->size() * 8;
    QByteArray out;
    out.reserve(size);
    qsizetype from = 0;
    for (const DirectArray &array : arrays) {
        const QByteArrayView empty = array.points ? emptyPoints : emptyWidths;
        const qsizetype at = bytes.indexOf(empty, from);
        if (at < 0)
            return {};
        const qsizetype open = at + empty.size() - 1; // the ']'
        out.append(bytes.constData() + from, open - from);
        bool first = true;
        if (array.points) {
            for (const QPointF &p : *array.points) {
                if (!first)
                    out.append(',');
                first = false;
                appendJsonNumber(out, p.x());
                out.append(',');
                appendJsonNumber(out, p.y());
            }
        } else {
            for (double w : *array.numbers) {
                if (!first)
                    out.append(',');
                first = false;
                appendJsonNumber(out, w);
            }
        }
        from = open;
    }
    out.append(bytes.constData() + from, bytes.size() - from);
    return out;
}

} // namespace

QByteArray encode(const Message &message)
{
    QJsonObject o;
    const MessageType type = typeOf(message);
    o.insert("type"_L1, messageTypeName(type));
    // An op or snapshot may carry 10,000 points an item: QJsonDocument spent most of a busy server's time writing
    // them (as QJsonValues, each number formatted into a QByteArray of its own). Their arrays are written directly.
    QList<DirectArray> points;
    if (type == MessageType::Op || type == MessageType::Snapshot)
        t_directPoints = &points;
    std::visit([&o](const auto &body) { writeBody(o, body); }, message);
    t_directPoints = nullptr;
    if (points.isEmpty())
        return compactJson(o);
    QByteArray bytes = withPoints(compactJson(o), points);
    if (bytes.isEmpty()) {
        o = QJsonObject();
        o.insert("type"_L1, messageTypeName(type));
        std::visit([&o](const auto &body) { writeBody(o, body); }, message);
        bytes = compactJson(o);
    }
    return bytes;
}

QByteArray encodeHistoryPage(const HistoryPage &page, const QList<QByteArray> &ops)
{
    HistoryPage shell = page;
    shell.ops.clear();
    QByteArray bytes = encode(shell);
    if (page.code || ops.isEmpty())
        return bytes;
    // Only the key can be followed by :[] here: a quote inside a string value is always escaped.
    constexpr QByteArrayView empty("\"ops\":[]");
    const qsizetype at = bytes.lastIndexOf(empty);
    Q_ASSERT(at >= 0);
    qsizetype size = bytes.size() + ops.size();
    for (const QByteArray &op : ops)
        size += op.size();
    QByteArray joined;
    joined.reserve(size);
    for (const QByteArray &op : ops) {
        if (!joined.isEmpty())
            joined.append(',');
        joined.append(op);
    }
    bytes.insert(at + empty.size() - 1, joined);
    return bytes;
}

namespace {

//! The encoder's compact JSON of an object without its braces: "seq":12,"time":3 (empty for no fields).
QByteArray innerJson(const QJsonObject &o)
{
    const QByteArray bytes = compactJson(o);
    return bytes.mid(1, bytes.size() - 2);
}

} // namespace

QByteArray encodeStamped(const Op &stamped, const QByteArray &unstamped)
{
    // An add or update without seq, client, author and time is {"cseq":..,"item":{..},"kind":"..","type":"op"}. The
    // encoder sorts keys: author and client go before cseq, seq and time between kind and type.
    constexpr QByteArrayView start("{\"cseq\":");
    constexpr QByteArrayView end(",\"type\":\"op\"}");
    if ((stamped.kind != OpKind::Add && stamped.kind != OpKind::Update) || !unstamped.startsWith(start)
        || !unstamped.endsWith(end))
        return encode(stamped);
    QJsonObject front;
    insertIfSet(front, "author"_L1, stamped.author);
    insertIfSet(front, "client"_L1, stamped.client);
    QJsonObject back;
    if (stamped.seq)
        back.insert("seq"_L1, double(stamped.seq));
    if (stamped.time)
        back.insert("time"_L1, double(stamped.time));
    const QByteArray head = innerJson(front);
    const QByteArray tail = innerJson(back);
    QByteArray out;
    out.reserve(unstamped.size() + head.size() + tail.size() + 2);
    out.append('{');
    if (!head.isEmpty()) {
        out.append(head);
        out.append(',');
    }
    out.append(unstamped.constData() + 1, unstamped.size() - 1 - end.size());
    if (!tail.isEmpty()) {
        out.append(',');
        out.append(tail);
    }
    out.append(end);
    return out;
}

QByteArray snapshotItemFromOp(const QByteArray &opBytes, qint64 z)
{
    // Only the key can be followed by ":{ here (a quote inside a string is always escaped), and no other key of an
    // add or update ends in "item". The item comes before "kind", and holds arrays but no objects: it ends at the
    // last "},"kind":" of the op (again only a key's own quotes can stand so).
    constexpr QByteArrayView key("\"item\":{");
    constexpr QByteArrayView after("},\"kind\":\"");
    const qsizetype at = opBytes.indexOf(key);
    const qsizetype close = opBytes.lastIndexOf(after);
    if (at < 0 || close < at + key.size() - 1)
        return {};
    const qsizetype open = at + key.size() - 1;
    // z sorts after every other key of an item: the encoder writes it last.
    const QByteArray zJson = z ? innerJson(QJsonObject {{"z"_L1, double(z)}}) : QByteArray();
    QByteArray out;
    out.reserve(close - open + 2 + zJson.size());
    out.append(opBytes.constData() + open, close - open);
    if (!zJson.isEmpty()) {
        out.append(',');
        out.append(zJson);
    }
    out.append('}');
    return out;
}

QByteArray encodeMember(const Member &member)
{
    return compactJson(memberToJson(member));
}

QByteArray encodeWelcome(const Welcome &welcome, QByteArrayView members)
{
    Welcome shell = welcome;
    shell.members.clear();
    QByteArray bytes = encode(shell);
    // Only the key can be followed by :[ here: a quote inside a string value is always escaped.
    constexpr QByteArrayView empty("\"members\":[]");
    const qsizetype at = bytes.indexOf(empty);
    Q_ASSERT(at >= 0);
    bytes.insert(at + empty.size() - 1, members);
    return bytes;
}

} // namespace inkroom::proto
