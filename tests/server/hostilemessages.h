#pragma once

#include <QByteArray>

//! Hand-made hostile wire messages for tst_server_hostile (kept out of the Q_OBJECT file, like rawmessages.h).
namespace inkroom::test::hostile {

//! A chat op whose text holds bytes that are not UTF-8.
QByteArray chatWithInvalidUtf8(int cseq);
//! A cursor whose ignored extra field is an array nested depth deep.
QByteArray nestedArrays(int depth);
//! Objects nested depth deep ({"a":{"a":...}}).
QByteArray nestedObjects(int depth);
//! An add op (cseq) whose item is an array nested depth deep.
QByteArray opWithNestedItem(int cseq, int depth);
//! A cursor with count extra keys.
QByteArray manyKeys(int count);
//! A stroke add (cseq) whose third coordinate is the JSON text literal.
QByteArray addWithPoint(int cseq, const char *literal);
//! A stroke add (cseq) with a width given as the JSON text literal.
QByteArray addWithWidth(int cseq, const char *literal);
//! A stroke add whose cseq is the JSON text literal.
QByteArray addWithCseq(const char *literal);
//! A move op (cseq) by dx given as the JSON text literal.
QByteArray moveBy(int cseq, const char *literal);
//! A cursor at x and y given as JSON text literals.
QByteArray cursorAt(const char *x, const char *y);
//! A stroke add (cseq) with this many points.
QByteArray addWithPoints(int cseq, int points);

} // namespace inkroom::test::hostile
