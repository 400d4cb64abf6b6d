#include "hostilemessages.h"

#include <initializer_list>

namespace inkroom::test::hostile {

namespace {

QByteArray cat(std::initializer_list<QByteArrayView> parts)
{
    QByteArray bytes;
    for (const QByteArrayView part : parts)
        bytes.append(part);
    return bytes;
}

QByteArray stroke(int cseq, QByteArrayView width, QByteArrayView points, QByteArrayView cseqText = {})
{
    const QByteArray n = QByteArray::number(cseq);
    return cat({"{\"type\":\"op\",\"kind\":\"add\",\"cseq\":", cseqText.isEmpty() ? QByteArrayView(n) : cseqText,
                ",\"item\":{\"id\":\"client-coords-01:", n,
                "\",\"kind\":\"stroke\",\"colour\":\"#112233\",\"width\":", width, ",\"points\":", points, "}}"});
}

} // namespace

QByteArray chatWithInvalidUtf8(int cseq)
{
    return cat({"{\"type\":\"op\",\"kind\":\"chat\",\"cseq\":", QByteArray::number(cseq),
                ",\"text\":\"bad \xff\xfe\xc0\xaf here\"}"});
}

QByteArray nestedArrays(int depth)
{
    return cat(
        {"{\"type\":\"cursor\",\"x\":1,\"y\":2,\"extra\":", QByteArray(depth, '['), QByteArray(depth, ']'), "}"});
}

QByteArray nestedObjects(int depth)
{
    QByteArray bytes;
    bytes.reserve(depth * 6 + 2);
    for (int i = 0; i < depth; ++i)
        bytes.append("{\"a\":");
    bytes.append('1');
    bytes.append(QByteArray(depth, '}'));
    return bytes;
}

QByteArray opWithNestedItem(int cseq, int depth)
{
    return cat({"{\"type\":\"op\",\"kind\":\"add\",\"cseq\":", QByteArray::number(cseq),
                ",\"item\":", QByteArray(depth, '['), QByteArray(depth, ']'), "}"});
}

QByteArray manyKeys(int count)
{
    QByteArray bytes("{\"type\":\"cursor\",\"x\":1,\"y\":2");
    for (int i = 0; i < count; ++i)
        bytes.append(cat({",\"k", QByteArray::number(i), "\":0"}));
    bytes.append('}');
    return bytes;
}

QByteArray addWithPoint(int cseq, const char *literal)
{
    return stroke(cseq, "2", cat({"[0,0,", literal, ",1]"}));
}

QByteArray addWithWidth(int cseq, const char *literal)
{
    return stroke(cseq, literal, "[0,0,1,1]");
}

QByteArray addWithCseq(const char *literal)
{
    return stroke(99, "2", "[0,0,1,1]", literal);
}

QByteArray moveBy(int cseq, const char *literal)
{
    return cat({"{\"type\":\"op\",\"kind\":\"move\",\"cseq\":", QByteArray::number(cseq),
                ",\"ids\":[\"client-coords-01:x\"],\"dx\":", literal, ",\"dy\":0}"});
}

QByteArray cursorAt(const char *x, const char *y)
{
    return cat({"{\"type\":\"cursor\",\"x\":", x, ",\"y\":", y, "}"});
}

QByteArray addWithPoints(int cseq, int points)
{
    QByteArray list("[");
    list.reserve(points * 14 + 2);
    for (int i = 0; i < points; ++i) {
        if (i > 0)
            list.append(',');
        list.append(QByteArray::number(i % 1000));
        list.append(',');
        list.append(QByteArray::number(i % 997));
    }
    list.append(']');
    return stroke(cseq, "2", list);
}

} // namespace inkroom::test::hostile
