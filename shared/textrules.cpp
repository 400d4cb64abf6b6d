#include "textrules.h"

namespace inkroom::text {

namespace {

//! Calls visit(code point) for each code point of text (a lone surrogate as itself); stops when visit returns true.
template<class Visit> bool anyCodePoint(QStringView text, Visit visit)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i].unicode(), text[i + 1].unicode());
            ++i;
        }
        if (visit(c))
            return true;
    }
    return false;
}

bool isBlankLetter(char32_t c)
{
    // Letters and symbols that are drawn as nothing: Hangul fillers, the braille blank, the Mongolian vowel separator.
    return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800 || c == 0x180E;
}

bool isVisible(char32_t c)
{
    if (isBlankLetter(c))
        return false;
    switch (QChar::category(c)) {
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_NotAssigned:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
        return false;
    default:
        return true;
    }
}

//! NFC or NFKC, without format characters, white space simplified.
QString cleaned(QStringView name, QString::NormalizationForm form)
{
    QString out;
    out.reserve(name.size());
    anyCodePoint(name, [&out](char32_t c) {
        if (QChar::category(c) != QChar::Other_Format)
            out.append(QString::fromUcs4(&c, 1));
        return false;
    });
    return out.normalized(form).simplified();
}

} // namespace

bool hasVisibleCharacter(QStringView text)
{
    return anyCodePoint(text, [](char32_t c) { return isVisible(c); });
}

bool hasBidiControl(QStringView text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069) || u == 0x200E || u == 0x200F || u == 0x061C)
            return true;
    }
    return false;
}

QString normalisedRoomName(QStringView name)
{
    return cleaned(name, QString::NormalizationForm_C);
}

QString roomKey(QStringView name)
{
    return cleaned(name, QString::NormalizationForm_KC).toCaseFolded();
}

QString nameKey(QStringView name)
{
    return roomKey(name);
}

} // namespace inkroom::text
