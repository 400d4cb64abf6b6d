pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Inkroom.Ui

// Writes a new text item or edits one, in place on the board. Ctrl+Enter or a click elsewhere places it;
// Escape cancels.
TextArea {
    id: editor

    required property Whiteboard canvas
    property string itemId: ""
    property point boardPosition

    function open(id: string, text: string, position: point) {
        itemId = id
        canvas.editingId = id
        boardPosition = position
        editor.text = text
        visible = true
        forceActiveFocus()
        cursorPosition = editor.text.length
    }
    function commit() {
        if (!visible)
            return
        visible = false
        if (itemId.length > 0)
            canvas.editText(itemId, editor.text)
        else if (editor.text.trim().length > 0)
            canvas.addText(boardPosition, editor.text)
        itemId = ""
        canvas.editingId = ""
        canvas.forceActiveFocus()
    }
    function cancel() {
        visible = false
        itemId = ""
        canvas.editingId = ""
        canvas.forceActiveFocus()
    }

    visible: false
    x: canvas.origin.x + boardPosition.x * canvas.zoom - leftPadding
    y: canvas.origin.y + boardPosition.y * canvas.zoom - topPadding
    width: Math.max(160, implicitWidth)
    textFormat: TextEdit.PlainText
    wrapMode: TextEdit.NoWrap
    // The board's own text font (app/render's layout), so the text does not jump when it is placed.
    font.family: canvas.textFontFamily
    font.hintingPreference: Font.PreferNoHinting
    // The edited item's own size and colour (the toolbar's for new text).
    font.pixelSize: canvas.editingTextSize * canvas.zoom
    color: canvas.editingTextColour
    placeholderText: qsTr("Type here")
    background: Rectangle {
        color: "#ccffffff"
        border.color: "#1a73e8"
        radius: 3
    }
    Accessible.name: qsTr("Text on the board")

    Keys.onEscapePressed: cancel()
    Keys.onPressed: (event) => {
        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && (event.modifiers & Qt.ControlModifier)) {
            event.accepted = true
            commit()
        }
    }
    onActiveFocusChanged: if (!activeFocus) commit()
}
