#pragma once

#include <QList>
#include <QString>
#include <QStringList>

//! Reads docs/PROTOCOL.md and checks it against shared/: what tst_shared_protocoldoc runs on the real files and on
//! broken copies of them.
namespace inkroom::protocoldoc {

//! One Markdown table (GitHub's syntax): the heading it is under, its header and its rows, cells trimmed.
struct Table
{
    QString section; //!< the text of the nearest heading above it, without the #s
    int line = 0; //!< the header row's line, from 1
    QStringList header;
    QList<QStringList> rows;
    QList<int> rowLines;
};

//! Every table in a Markdown document, in order (tables inside fenced code blocks are code, not tables).
[[nodiscard]] QList<Table> parseTables(const QString &markdown);

//! A number as a document writes it ("1 MiB", "10,000", "2^20", "±1,000,000", "0.1", "-2,000,000").
struct Number
{
    double value = 0;
    QString text;
};
//! The numbers in a table cell, in order, outside code spans and link targets, not counting digits inside words
//! ("UTF-8", "x0", "SHA-256").
[[nodiscard]] QList<Number> numbersIn(QStringView cell);

//! The texts the checker compares: the document and the two headers whose declarations it reads.
struct Sources
{
    QString protocolDoc; //!< docs/PROTOCOL.md
    QString limitsHeader; //!< shared/protocollimits.h
    QString closeCodesHeader; //!< shared/closecodes.h
};

struct Options
{
    //! Standard close codes the document may list without a proto::CloseCode value: ones only the WebSocket layer
    //! sends, which Inkroom's code never names.
    QList<int> webSocketLayerCloseCodes;
};

/** @brief Every way the document and shared/ disagree, one sentence each naming the place and both sides; empty
 *  when they agree. */
[[nodiscard]] QStringList check(const Sources &sources, const Options &options);

} // namespace inkroom::protocoldoc
