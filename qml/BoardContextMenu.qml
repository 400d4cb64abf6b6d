pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Inkroom.Client
import Inkroom.Ui

// Right-click on the board: what can be done with the selection (or the item under the pointer) and the clipboard.
// The keys are the menu bar's; here they are only shown.
Menu {
    id: menu
    objectName: "boardContextMenu"

    required property Session session
    required property Whiteboard canvas
    required property BoardClipboard clipboard
    //! Where the menu was opened, in board units: a paste lands there.
    property point boardPoint: Qt.point(0, 0)

    signal copyRequested()
    signal cutRequested()
    signal pasteRequested(point at)
    signal duplicateRequested()
    signal deleteRequested()
    signal restackRequested(bool toFront)

    readonly property bool hasSelection: canvas.selectionCount > 0
    readonly property bool mayEdit: !session.viewOnly

    //! Open at a point of the canvas: the item there is selected first, unless it is part of the selection.
    function openAt(x: real, y: real) {
        boardPoint = canvas.mapToBoard(Qt.point(x, y))
        const hit = session.board.itemAt(boardPoint, 4 / Math.max(canvas.zoom, 0.01))
        if (hit.length > 0 && canvas.selectedIds().indexOf(hit) < 0)
            canvas.selectIds([hit])
        else if (hit.length === 0 && !hasSelection)
            canvas.clearSelection()
        popup(canvas, x, y)
    }

    KeyedMenuItem {
        objectName: "contextCut"
        text: qsTr("Cut")
        keys: "Ctrl+X"
        enabled: menu.hasSelection && menu.mayEdit
        onTriggered: menu.cutRequested()
    }
    KeyedMenuItem {
        objectName: "contextCopy"
        text: qsTr("Copy")
        keys: "Ctrl+C"
        enabled: menu.hasSelection
        onTriggered: menu.copyRequested()
    }
    KeyedMenuItem {
        objectName: "contextPaste"
        text: qsTr("Paste here")
        keys: "Ctrl+V"
        enabled: menu.mayEdit && menu.clipboard.canPaste
        onTriggered: menu.pasteRequested(menu.boardPoint)
    }
    KeyedMenuItem {
        objectName: "contextDuplicate"
        text: qsTr("Duplicate")
        keys: "Ctrl+D"
        enabled: menu.hasSelection && menu.mayEdit
        onTriggered: menu.duplicateRequested()
    }
    MenuSeparator {}
    KeyedMenuItem {
        objectName: "contextFront"
        text: qsTr("Bring to front")
        keys: "Ctrl+Shift+]"
        enabled: menu.hasSelection && menu.mayEdit
        onTriggered: menu.restackRequested(true)
    }
    KeyedMenuItem {
        objectName: "contextBack"
        text: qsTr("Send to back")
        keys: "Ctrl+Shift+["
        enabled: menu.hasSelection && menu.mayEdit
        onTriggered: menu.restackRequested(false)
    }
    MenuSeparator {}
    KeyedMenuItem {
        objectName: "contextDelete"
        text: qsTr("Delete")
        keys: qsTr("Del")
        enabled: menu.hasSelection && menu.mayEdit
        onTriggered: menu.deleteRequested()
    }
}
