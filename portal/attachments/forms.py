from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from rfp.enums import AttachmentKind
from suppliers.uploads import ALLOWED_DESCRIPTION, ALLOWED_TYPES

# What the browser's file picker offers; the server still checks every file by its content.
ACCEPT = ",".join(extension for _mime, extensions in ALLOWED_TYPES.values() for extension in extensions)


class AttachmentUploadForm(forms.Form):
    """One file and what it is; the checks of the file itself live in rfp.services.attachment_add."""

    # Empty files pass here so the service can refuse them with the file's name.
    file = forms.FileField(
        label="File", allow_empty_file=True, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    kind = forms.ChoiceField(label="What the file is", choices=AttachmentKind.choices, initial=AttachmentKind.TECHNICAL)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "attachment-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Choose a file to upload (PDF, XLSX, DOCX, PNG or JPEG)."
        self.fields["file"].help_text = (
            f"{ALLOWED_DESCRIPTION}, at most {filesizeformat(settings.UPLOAD_MAX_BYTES)} each. A proposal holds up to "
            f"{settings.PROPOSAL_ATTACHMENT_MAX_FILES} files and "
            f"{filesizeformat(settings.PROPOSAL_ATTACHMENT_QUOTA_BYTES)} in all."
        )
