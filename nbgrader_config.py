"""nbgrader's settings for this course (read by every `nbgrader` command run from the repository root).

The course directory nbgrader works in is `course/` (git-ignored), laid out the
way nbgrader expects:

    course/source/<assignment>/      instructor notebooks, copied from notebooks/ by
                                      `python -m digits.assignments release`
    course/release/<assignment>/     the student version: solutions removed, checks kept
    course/submitted/<student>/<assignment>/    what students hand in
    course/autograded/<student>/<assignment>/   after `nbgrader autograde`
    course/feedback/<student>/<assignment>/     after `nbgrader generate_feedback`
    course/gradebook.db              the scores

One assignment per notebook with exercises; its name is the notebook's
(e.g. `02_mnist_data`). See docs/teaching.md for the teacher's workflow.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "digits"
c.CourseDirectory.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "course")

# `nbgrader export` writes the grades here rather than into the repository.
c.ExportPlugin.to = os.path.join(c.CourseDirectory.root, "grades.csv")

# Files nbgrader leaves behind when it copies a student's folder (autograde, feedback): nbgrader's own
# list, and the models notebook 04 saves (2.7 MB each, in every feedback folder otherwise).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "saved_models", "*.keras"]

# `nbgrader zip_collect <assignment>` sorts what was downloaded from a learning platform into submitted/:
# put the files (or zips of them) in course/downloaded/<assignment>/archive/, each notebook named
# <student id>__<assignment>.ipynb, with two underscores (e.g. ada__02_mnist_data.ipynb).
c.FileNameCollectorPlugin.named_regexp = r".*[/\\](?P<student_id>[^/\\]+?)__(?P<file_id>[^/\\]+\.ipynb)$"

# Training in notebook 04 takes a minute or more on a laptop: let a cell run up to ten.
c.Execute.timeout = 600

# On JupyterHub, point this at the exchange directory shared by teacher and students
# (nbgrader's default is /srv/nbgrader/exchange):
# c.Exchange.root = "/srv/nbgrader/exchange"
