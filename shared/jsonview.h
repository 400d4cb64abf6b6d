#pragma once

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace inkroom::proto::json {

class Document;

/** @brief A read-only view of one value in a Document: the subset of QJsonValue's API the decoder uses.
 *
 * A default-constructed Value is undefined (a missing key), like QJsonValue::Undefined.
 */
class Value
{
public:
    Value() = default;

    [[nodiscard]] bool isUndefined() const { return m_index < 0; }
    [[nodiscard]] bool isNull() const;
    [[nodiscard]] bool isBool() const;
    [[nodiscard]] inline bool isDouble() const;
    [[nodiscard]] inline bool isString() const;
    [[nodiscard]] inline bool isArray() const;
    [[nodiscard]] inline bool isObject() const;

    [[nodiscard]] bool toBool() const;
    [[nodiscard]] inline double toDouble() const;
    [[nodiscard]] QString toString() const;

    //! Arrays and objects: the number of elements or members.
    [[nodiscard]] inline qsizetype size() const;
    [[nodiscard]] bool isEmpty() const { return size() == 0; }
    //! Arrays: element i (undefined when out of range).
    [[nodiscard]] inline Value at(qsizetype i) const;
    //! Objects: the member named key (undefined when absent).
    [[nodiscard]] Value value(QLatin1StringView key) const;
    [[nodiscard]] bool contains(QLatin1StringView key) const { return !value(key).isUndefined(); }

private:
    friend class Document;
    Value(const Document *document, int index)
        : m_document(document)
        , m_index(index)
    { }

    const Document *m_document = nullptr;
    int m_index = -1;
};

/** @brief A strict, fast JSON parser for the protocol's messages.
 *
 * QJsonDocument::fromJson() builds a tree of CBOR containers and converts every number through QByteArray; a
 * catch-up of 10,000 strokes spent two thirds of its time there. This parser reads the bytes once into a flat array
 * of nodes (strings stay in the input until asked for) and reads numbers with std::from_chars.
 *
 * It accepts only a plain subset of JSON, where it gives exactly what QJsonDocument gives: RFC 8259 JSON with an
 * object at the top, nesting at most 64 deep, objects of at most 64 members with distinct, unescaped keys, strings
 * of valid UTF-8 without noncharacters or lone surrogates, integers of at most 18 digits and other numbers that stay
 * finite and normal. Anything else (including everything that is not JSON at all) is refused, and the caller falls
 * back to QJsonDocument, which decides and words the error exactly as before.
 */
class Document
{
public:
    //! Parse bytes (which must outlive the document); false when the subset above does not hold.
    bool parse(QByteArrayView bytes);
    //! Forget the input, and give back memory a large message made the document take.
    void trim();
    //! The top-level object (valid after parse() returned true).
    [[nodiscard]] Value root() const { return Value(this, m_nodes.empty() ? -1 : 0); }

private:
    friend class Value;
    enum class Type : quint8 {
        Null,
        False,
        True,
        Number,
        String,
        Array,
        Object
    };
    struct Node
    {
        Type type = Type::Null;
        bool escaped = false; //!< a string with escapes or non-ASCII bytes (decoded on access)
        qint32 keyBegin = 0; //!< a member of an object: its key's bytes in the input
        qint32 keyLength = 0;
        struct TextSpan
        {
            qint32 begin;
            qint32 length;
        };
        struct ChildSpan
        {
            qint32 first;
            qint32 count;
        };
        union {
            double number;
            TextSpan text; //!< a string's bytes between the quotes
            ChildSpan children; //!< an array or object: its entries in m_children
        };
        Node()
            : number(0)
        { }
    };

    bool parseValue(int depth);
    bool parseString(qint32 *begin, qint32 *length, bool *escaped);
    bool parseNumber(double *number);
    void skipSpace();
    QString decodeString(const Node &node) const;

    QByteArrayView m_bytes;
    qsizetype m_at = 0;
    std::vector<Node> m_nodes;
    std::vector<qint32> m_children; //!< each container's children, contiguous
    std::vector<qint32> m_stack; //!< children of the containers being parsed
};

// The accessors the reader calls for every coordinate, inline.
bool Value::isDouble() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::Number;
}

bool Value::isString() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::String;
}

bool Value::isArray() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::Array;
}

bool Value::isObject() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::Object;
}

double Value::toDouble() const
{
    return isDouble() ? m_document->m_nodes[size_t(m_index)].number : 0.0;
}

qsizetype Value::size() const
{
    if (!isArray() && !isObject())
        return 0;
    return m_document->m_nodes[size_t(m_index)].children.count;
}

Value Value::at(qsizetype i) const
{
    if (!isArray() || i < 0 || i >= size())
        return {};
    const Document::Node &node = m_document->m_nodes[size_t(m_index)];
    return Value(m_document, m_document->m_children[size_t(node.children.first + i)]);
}

} // namespace inkroom::proto::json
